import { afterEach, describe, expect, expectTypeOf, it, vi } from 'vitest';
import { followLive } from '$lib/components/live/follow-live';
import type { Tx } from '$lib/server/db';
import type { LiveHub } from '$lib/server/live/hub';
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
	static last: FakeSource;
	readonly listeners = new Map<string, (e: { data: string }) => void>();
	closed = false;
	constructor(readonly url: string) {
		FakeSource.last = this;
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

describe('live topics', () => {
	afterEach(() => vi.unstubAllGlobals());

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
