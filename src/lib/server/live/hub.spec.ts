import postgres from 'postgres';
import { drizzle } from 'drizzle-orm/postgres-js';
import { describe, expect, it } from 'vitest';
import { onPostgres, useTestDb } from '../../../../tests/fixtures/db';
import { makeEvent } from '../../../../tests/fixtures/factories';
import type { LiveMessage } from '$lib/live/topics';
import { schema, type Db } from '../db';
import { live, LiveHub } from './hub';

const testDb = useTestDb();

// The messages here are harvest changes numbered by their session id, so their order shows.
const note = (n: number, field = 'notes') => ({ sessionId: n, field });
const numbers = (messages: LiveMessage[]) =>
	messages.map((m) => (m.topic === 'harvest' ? m.data.sessionId : null));

/** Publish in a transaction of its own, on this hub's database unless told otherwise. */
const publish = (hub: LiveHub, eventId: number, data: ReturnType<typeof note>, db?: Db) =>
	(db ?? testDb.handle().db).transaction((tx) => hub.publish(eventId, 'harvest', data, tx));

/** Resolves with the first `count` messages the hub hands to a subscriber of this event. */
async function collect(hub: LiveHub, eventId: number, count: number) {
	const got: LiveMessage[] = [];
	let done!: () => void;
	const finished = new Promise<void>((resolve) => (done = resolve));
	const stop = await hub.subscribe(eventId, (m) => {
		got.push(m);
		if (got.length === count) done();
	});
	return {
		got,
		finished: Promise.race([
			finished,
			new Promise<void>((_, reject) =>
				setTimeout(() => reject(new Error(`only ${got.length} of ${count} arrived`)), 5000)
			)
		]).finally(stop)
	};
}

describe('live updates', () => {
	it('reach the subscribers of that event only, in order, and are kept for catching up', async () => {
		const { event } = await makeEvent();
		const other = await makeEvent();
		const hub = live();
		const mine = await collect(hub, event.id, 3);
		const theirs = await collect(hub, other.event.id, 1);
		const first = await publish(hub, event.id, note(1));
		await publish(hub, other.event.id, note(99));
		await publish(hub, event.id, note(2));
		// A big message travels by id and is read back.
		await publish(hub, event.id, note(3, 'x'.repeat(10_000)));
		await Promise.all([mine.finished, theirs.finished]);
		expect(numbers(mine.got)).toEqual([1, 2, 3]);
		expect(mine.got[2].data).toEqual(note(3, 'x'.repeat(10_000)));
		expect(theirs.got.map((m) => m.eventId)).toEqual([other.event.id]);
		const missed = await hub.since(event.id, first.id);
		expect(numbers(missed)).toEqual([2, 3]);
	});

	it('announces a change made in a transaction only when it commits', async () => {
		const { event } = await makeEvent();
		const hub = live();
		const seen = await collect(hub, event.id, 1);
		const { db } = testDb.handle();
		await db
			.transaction(async (tx) => {
				await hub.publish(event.id, 'harvest', note(1, 'rolled back'), tx);
				throw new Error('undo');
			})
			.catch(() => {});
		await db.transaction((tx) => hub.publish(event.id, 'harvest', note(2, 'kept'), tx));
		await seen.finished;
		expect(seen.got.map((m) => m.data)).toEqual([note(2, 'kept')]);
	});

	it.runIf(onPostgres())(
		'travel between two app instances on one PostgreSQL through LISTEN/NOTIFY',
		async () => {
			const { event } = await makeEvent();
			// A second instance: its own connections, its own hub.
			const client = postgres(testDb.url()!, { max: 2, onnotice: () => {} });
			const otherDb = drizzle(client, { schema, casing: 'snake_case' }) as unknown as Db;
			const other = new LiveHub({ db: otherDb, kind: 'postgres', client });
			try {
				const there = await collect(other, event.id, 2);
				const here = await collect(live(), event.id, 1);
				await publish(live(), event.id, note(1, 'this instance'));
				await here.finished;
				await publish(other, event.id, note(2, 'the other'), otherDb);
				await there.finished;
				expect(there.got.map((m) => m.data)).toEqual([
					note(1, 'this instance'),
					note(2, 'the other')
				]);
			} finally {
				await other.stop();
				await client.end();
			}
		}
	);
});
