import postgres from 'postgres';
import { drizzle } from 'drizzle-orm/postgres-js';
import { describe, expect, it } from 'vitest';
import { onPostgres, useTestDb } from '../../../../tests/fixtures/db';
import { makeEvent } from '../../../../tests/fixtures/factories';
import { schema, type Db } from '../db';
import { live, LiveHub, type LiveMessage } from './hub';

const testDb = useTestDb();

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
		const first = await hub.publish(event.id, 'stage', { n: 1 });
		await hub.publish(other.event.id, 'stage', { n: 'other' });
		await hub.publish(event.id, 'stage', { n: 2 });
		// A big message travels by id and is read back.
		await hub.publish(event.id, 'stage', { n: 3, text: 'x'.repeat(10_000) });
		await Promise.all([mine.finished, theirs.finished]);
		expect(mine.got.map((m) => (m.data as { n: number }).n)).toEqual([1, 2, 3]);
		expect(theirs.got.map((m) => m.eventId)).toEqual([other.event.id]);
		const missed = await hub.since(event.id, first.id);
		expect(missed.map((m) => (m.data as { n: number }).n)).toEqual([2, 3]);
	});

	it('announces a change made in a transaction only when it commits', async () => {
		const { event } = await makeEvent();
		const hub = live();
		const seen = await collect(hub, event.id, 1);
		const { db } = testDb.handle();
		await db
			.transaction(async (tx) => {
				await hub.publish(event.id, 'stage', { n: 'rolled back' }, tx);
				throw new Error('undo');
			})
			.catch(() => {});
		await db.transaction((tx) => hub.publish(event.id, 'stage', { n: 'kept' }, tx));
		await seen.finished;
		expect(seen.got.map((m) => m.data)).toEqual([{ n: 'kept' }]);
	});

	it.runIf(onPostgres())(
		'travel between two app instances on one PostgreSQL through LISTEN/NOTIFY',
		async () => {
			const { event } = await makeEvent();
			// A second instance: its own connections, its own hub.
			const client = postgres(testDb.url()!, { max: 2, onnotice: () => {} });
			const other = new LiveHub({
				db: drizzle(client, { schema, casing: 'snake_case' }) as unknown as Db,
				kind: 'postgres',
				client
			});
			try {
				const there = await collect(other, event.id, 2);
				const here = await collect(live(), event.id, 1);
				await live().publish(event.id, 'stage', { from: 'this instance' });
				await here.finished;
				await other.publish(event.id, 'stage', { from: 'the other' });
				await there.finished;
				expect(there.got.map((m) => m.data)).toEqual([
					{ from: 'this instance' },
					{ from: 'the other' }
				]);
			} finally {
				await other.stop();
				await client.end();
			}
		}
	);
});
