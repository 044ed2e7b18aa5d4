import { afterEach, describe, expect, expectTypeOf, it, vi } from 'vitest';
import { followLive } from '$lib/components/live/follow-live';
import type { Tx } from '$lib/server/db';
import type { LiveHub } from '$lib/server/live/hub';
import { withCard, type BoardCard } from '$lib/marketplace/board';
import { isOn, type DotTotal, type LiveMessage, type StageView } from './topics';

// The compiler checks both ends of a live message against the topic map: `npm run check` fails
// if a line marked @ts-expect-error below compiles (and so stops being refused).

/** Compiled, never run: what a publisher may and may not announce. */
export async function publishers(hub: LiveHub, tx: Tx) {
	const sent = await hub.publish(1, 'dots', { roundId: 1, proposalId: 2, total: 3 }, tx);
	expectTypeOf(sent.data).toEqualTypeOf<DotTotal>();
	// @ts-expect-error a payload of another shape
	await hub.publish(1, 'dots', { wrong: 1 }, tx);
	// @ts-expect-error the payload of another topic
	await hub.publish(1, 'dots', { proposalId: 2, count: 3 }, tx);
	// @ts-expect-error a field missing
	await hub.publish(1, 'presence', { blockId: 1, sessionId: 2 }, tx);
	// @ts-expect-error a topic that is not in the map
	await hub.publish(1, 'dot', { roundId: 1, proposalId: 2, total: 3 }, tx);
	// @ts-expect-error no transaction: a change is announced only when it commits
	await hub.publish(1, 'programme', {});
	// @ts-expect-error a proposal's news without its card: screens could not change it in place
	await hub.publish(1, 'proposal', { roundId: 1, proposalId: 2 }, tx);
	await hub.publish(1, 'proposal', { roundId: 1, proposalId: 2, card: null }, tx);
	await hub.subscribe(1, (m) => {
		if (m.topic === 'stage') expectTypeOf(m.data).toEqualTypeOf<StageView>();
	});
}

/** Compiled, never run: what a screen's handlers receive. */
export function screens() {
	followLive('slug', {
		dots: (data) => expectTypeOf(data).toEqualTypeOf<DotTotal>(),
		stage: (view) => expectTypeOf(view.current?.title).toEqualTypeOf<string | undefined>(),
		// @ts-expect-error a field the topic does not carry
		interest: (data) => data.total,
		// @ts-expect-error a handler expecting another topic's payload
		presence: (data: DotTotal) => data.total
	});
	// @ts-expect-error a topic nobody publishes
	followLive('slug', { dot: () => {} });
}

/** Stands in for the browser's EventSource: records listeners, delivers frames on demand. */
class FakeSource {
	static readonly CLOSED = 2;
	static last: FakeSource;
	static made = 0;
	readonly listeners = new Map<string, (e: { data: string }) => void>();
	closed = false;
	readyState = 1;
	constructor(readonly url: string) {
		FakeSource.last = this;
		FakeSource.made++;
	}
	addEventListener(type: string, listener: (e: { data: string }) => void) {
		this.listeners.set(type, listener);
	}
	deliver(topic: string, data: unknown) {
		this.listeners.get(topic)?.({ data: JSON.stringify(data) });
	}
	close() {
		this.closed = true;
	}
}

const invalidateAll = vi.hoisted(() => vi.fn());
vi.mock('$app/navigation', () => ({ invalidateAll }));

const card = (id: number, title: string): BoardCard => ({
	id,
	title,
	question: '',
	format: 'discussion',
	groupSize: null,
	conveners: ['Bee'],
	total: 0,
	interest: 0
});

describe('live topics', () => {
	afterEach(() => {
		vi.unstubAllGlobals();
		vi.useRealTimers();
		invalidateAll.mockClear();
	});

	it('a screen that reconnects with its last id takes the catch-up and does not reload; one that lost its stream reloads once, after a random wait', async () => {
		vi.useFakeTimers();
		vi.stubGlobal('EventSource', FakeSource);
		const stop = followLive('open-2019', { dots: () => {} });
		const first = FakeSource.last;
		first.deliver('open', {});
		// The browser's own reconnect sends Last-Event-ID: what was missed comes first.
		first.deliver('error', {});
		first.deliver('open', {});
		await vi.advanceTimersByTimeAsync(10_000);
		expect(invalidateAll).not.toHaveBeenCalled();

		// The server refused or closed the stream for good: a new one, without a last id.
		const made = FakeSource.made;
		first.readyState = FakeSource.CLOSED;
		first.deliver('error', {});
		await vi.advanceTimersByTimeAsync(4_500);
		expect(FakeSource.made).toBe(made + 1);
		FakeSource.last.deliver('open', {});
		expect(invalidateAll).not.toHaveBeenCalled();
		await vi.advanceTimersByTimeAsync(3_000);
		expect(invalidateAll).toHaveBeenCalledTimes(1);
		stop();
	});

	it('a proposal message changes its card in place, adds a new one at the end, takes a merged one off', () => {
		type Mine = BoardCard & { mine: number };
		const cards: Mine[] = [
			{ ...card(1, 'Soil'), mine: 2 },
			{ ...card(2, 'Seeds'), mine: 0 }
		];
		const keep = (c: BoardCard, old: Mine | undefined): Mine => ({ ...c, mine: old?.mine ?? 0 });
		const edited = withCard(cards, 7, { roundId: 7, proposalId: 1, card: card(1, 'Soil!') }, keep);
		expect(edited.map((x) => [x.id, x.title, x.mine])).toEqual([
			[1, 'Soil!', 2],
			[2, 'Seeds', 0]
		]);
		const added = withCard(edited, 7, { roundId: 7, proposalId: 3, card: card(3, 'Rain') }, keep);
		expect(added.map((x) => x.id)).toEqual([1, 2, 3]);
		expect(
			withCard(added, 7, { roundId: 7, proposalId: 2, card: null }, keep).map((x) => x.id)
		).toEqual([1, 3]);
		// Another round's news leaves these cards alone.
		expect(withCard(added, 8, { roundId: 7, proposalId: 2, card: null }, keep)).toBe(added);
	});

	it('a screen hands each topic its payload, and listens only to the topics it handles', () => {
		vi.stubGlobal('EventSource', FakeSource);
		const totals: DotTotal[] = [];
		const stop = followLive('open-2019', { dots: (d) => totals.push(d) });
		const source = FakeSource.last;
		expect(source.url).toBe('/e/open-2019/live');
		// Besides its topics, a screen only watches the connection itself (open and error).
		expect([...source.listeners.keys()].sort()).toEqual(['dots', 'error', 'open']);
		source.deliver('dots', { roundId: 1, proposalId: 2, total: 3 });
		source.deliver('interest', { proposalId: 2, count: 9 });
		expect(totals).toEqual([{ roundId: 1, proposalId: 2, total: 3 }]);
		stop();
		expect(source.closed).toBe(true);
	});

	it('isOn picks the messages of one topic, typed as that topic', () => {
		const messages: LiveMessage[] = [
			{ id: 1, eventId: 1, topic: 'dots', data: { roundId: 1, proposalId: 2, total: 3 } },
			{ id: 2, eventId: 1, topic: 'interest', data: { proposalId: 2, count: 4 } }
		];
		const dots = messages.filter((m) => isOn(m, 'dots'));
		expectTypeOf(dots).toEqualTypeOf<LiveMessage<'dots'>[]>();
		expect(dots.map((m) => m.data.total)).toEqual([3]);
	});
});
