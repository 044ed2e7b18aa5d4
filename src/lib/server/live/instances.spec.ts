import { eq } from 'drizzle-orm';
import postgres from 'postgres';
import { drizzle } from 'drizzle-orm/postgres-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { onPostgres, useTestDb } from '../../../../tests/fixtures/db';
import { votingRound } from '../../../../tests/fixtures/marketplace';
import { db, schema, type Db } from '../db';
import { isOn, type LiveMessage, type LiveTopic } from '$lib/live/topics';
import { LiveHub } from './hub';
import { closeDuePhases, setPhase } from '../marketplace/rounds';
import { castDot } from '../marketplace/dots';

// Two app instances behind one load balancer: this process (whose `live()` hub every domain
// function publishes through) and a second one with its own connections to the same PostgreSQL.
// What a voter does on one must reach the screens served by the other.

const testDb = useTestDb();

let client: postgres.Sql;
const hubs: LiveHub[] = [];

/** The second instance's hub; a new one on the same connections is a screen reconnecting. */
function otherInstance() {
	const hub = new LiveHub({
		db: drizzle(client, { schema, casing: 'snake_case' }) as unknown as Db,
		kind: 'postgres',
		client
	});
	hubs.push(hub);
	return hub;
}

/**
 * Subscribe now; `next` resolves with the first message on `topic` that satisfies `match`, or
 * fails after a while.
 */
async function waitFor<T extends LiveTopic>(
	hub: LiveHub,
	eventId: number,
	topic: T,
	match: (message: LiveMessage<T>) => boolean = () => true
) {
	let found!: (m: LiveMessage<T>) => void;
	const arrived = new Promise<LiveMessage<T>>((resolve) => (found = resolve));
	const stop = await hub.subscribe(eventId, (m) => {
		if (isOn(m, topic) && match(m)) found(m);
	});
	const next = Promise.race([
		arrived,
		new Promise<never>((_, reject) =>
			setTimeout(() => reject(new Error(`no ${topic} message on the other instance`)), 5000)
		)
	]).finally(stop);
	return { next };
}

describe.runIf(onPostgres())('live updates across two app instances', () => {
	beforeAll(() => {
		client = postgres(testDb.url()!, { max: 2, onnotice: () => {} });
	});
	afterAll(async () => {
		for (const hub of hubs) await hub.stop();
		await client?.end();
	});

	it('a dot cast on this instance reaches a screen on the other one, with the new total', async () => {
		const { event, round, attendees, proposals } = await votingRound({
			attendees: 2,
			proposals: 1
		});
		const [ana, ben] = attendees;
		const [proposal] = proposals;
		const other = otherInstance();
		const first = await waitFor(other, event.id, 'dots', ({ data }) => data.total === 1);
		await castDot(ana, event.id, proposal.id);
		expect((await first.next).data).toEqual({
			roundId: round.id,
			proposalId: proposal.id,
			total: 1
		});
		const second = await waitFor(other, event.id, 'dots', ({ data }) => data.total === 2);
		await castDot(ben, event.id, proposal.id);
		expect((await second.next).data).toEqual({
			roundId: round.id,
			proposalId: proposal.id,
			total: 2
		});
	});

	it('a phase change, by the facilitator or by the clock, reaches the other instance', async () => {
		const { event, organiser, round } = await votingRound({ attendees: 0, proposals: 0 });
		const other = otherInstance();
		// votingRound's own "voting" may still be on its way; this one carries a countdown.
		const set = await waitFor(other, event.id, 'phase', ({ data }) => data.phaseEndsAt !== null);
		const now = new Date();
		await setPhase(organiser, event.id, round.id, 'voting', 1, new Date(now.getTime() - 120_000));
		expect((await set.next).data).toEqual({
			roundId: round.id,
			phase: 'voting',
			phaseEndsAt: new Date(now.getTime() - 60_000).toISOString()
		});
		const closed = await waitFor(other, event.id, 'phase', ({ data }) => data.phase === 'closed');
		await closeDuePhases(now);
		expect((await closed.next).data).toEqual({
			roundId: round.id,
			phase: 'closed',
			phaseEndsAt: null
		});
	});

	it('a screen that reconnects with its last seen id catches up on what it missed', async () => {
		const { event, organiser, round, attendees, proposals } = await votingRound({
			attendees: 1,
			proposals: 2
		});
		const [me] = attendees;
		const [a, b] = proposals;
		const before = otherInstance();
		const seen = await waitFor(before, event.id, 'dots');
		await castDot(me, event.id, a.id);
		const lastId = (await seen.next).id;
		// The screen drops off the wifi; meanwhile the room goes on.
		await before.stop();
		await castDot(me, event.id, b.id);
		await castDot(me, event.id, b.id);
		await setPhase(organiser, event.id, round.id, 'closed');

		const after = otherInstance();
		const next = await waitFor(after, event.id, 'phase', ({ data }) => data.phase === 'voting');
		const missed = await after.since(event.id, lastId);
		expect(missed.map((m) => [m.topic, m.data])).toEqual([
			['dots', { roundId: round.id, proposalId: b.id, total: 1 }],
			['dots', { roundId: round.id, proposalId: b.id, total: 2 }],
			['phase', { roundId: round.id, phase: 'closed', phaseEndsAt: null }]
		]);
		expect(missed.every((m) => m.id > lastId)).toBe(true);
		// And, back online, it follows what happens next.
		await setPhase(organiser, event.id, round.id, 'voting');
		expect((await next.next).id).toBeGreaterThan(missed.at(-1)!.id);
	});

	it('an event kept in memory by the other instance is forgotten there when it changes here', async () => {
		const { event } = await votingRound({ attendees: 1, proposals: 1 });
		const other = otherInstance();
		// Subscribing starts the other instance listening, as its first screen would.
		const unsubscribe = await other.subscribe(event.id, () => {});
		let reads = 0;
		const kept = other.cache<{ slug: string; name: string }>(60_000, {
			events: (slug, e) => e.slug === slug
		});
		const read = () =>
			kept.get(event.slug, async () => {
				reads++;
				const [row] = await db().select().from(schema.events).where(eq(schema.events.id, event.id));
				return row;
			});
		await read();
		expect((await read())?.name).toBe(event.name);
		expect(reads).toBe(1);
		await db().update(schema.events).set({ name: 'Renamed' }).where(eq(schema.events.id, event.id));
		await expect.poll(async () => (await read())?.name, { timeout: 3000 }).toBe('Renamed');
		expect(reads).toBe(2);
		unsubscribe();
	});
});
