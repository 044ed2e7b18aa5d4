import { and, eq, inArray, sql } from 'drizzle-orm';
import { sha256 } from '../auth/tokens';
import { db, schema } from '../db';
import type { FeedEntry } from './entries';

// Feeds are computed from the live data; what they served before is remembered only as a
// fingerprint, so every change is noticed however it was made (a moved session, an edited
// title, a reordered block) and raises the entry's SEQUENCE and the schedule's version once,
// even when many readers fetch at the same moment (the upsert's row lock orders them).

const fe = schema.feedEntries;
const sv = schema.scheduleVersions;

export function entryFingerprint(x: FeedEntry): string {
	return sha256(
		JSON.stringify([
			x.title,
			x.abstract,
			x.startsAt.toISOString(),
			x.endsAt.toISOString(),
			x.room,
			x.persons.map((p) => p.name),
			x.links
		])
	);
}

/** Each entry's SEQUENCE, raised by one for every change since it was first served. */
export async function entrySequences(eventId: number, entries: FeedEntry[]) {
	if (!entries.length) return new Map<string, number>();
	const rows = entries.map((x) => ({ eventId, uid: x.uid, fingerprint: entryFingerprint(x) }));
	await db()
		.insert(fe)
		.values(rows)
		.onConflictDoUpdate({
			target: [fe.eventId, fe.uid],
			set: { fingerprint: sql`excluded.fingerprint`, sequence: sql`${fe.sequence} + 1` },
			setWhere: sql`${fe.fingerprint} <> excluded.fingerprint`
		});
	const stored = await db()
		.select({ uid: fe.uid, sequence: fe.sequence })
		.from(fe)
		.where(
			and(
				eq(fe.eventId, eventId),
				inArray(
					fe.uid,
					entries.map((x) => x.uid)
				)
			)
		);
	return new Map(stored.map((x) => [x.uid, x.sequence]));
}

/**
 * The schedule's version: 1 when first served, raised whenever what it publishes changes
 * (an entry added, removed, moved or edited, or the event's own details).
 */
export async function scheduleVersion(eventId: number, entries: FeedEntry[], details: unknown) {
	const fingerprint = sha256(
		JSON.stringify([details, entries.map((x) => [x.uid, entryFingerprint(x)])])
	);
	const [row] = await db()
		.insert(sv)
		.values({ eventId, fingerprint })
		.onConflictDoUpdate({
			target: sv.eventId,
			set: { fingerprint, version: sql`${sv.version} + 1`, changedAt: sql`now()` },
			setWhere: sql`${sv.fingerprint} <> excluded.fingerprint`
		})
		.returning({ version: sv.version });
	if (row) return row.version;
	const [current] = await db()
		.select({ version: sv.version })
		.from(sv)
		.where(eq(sv.eventId, eventId));
	return current.version;
}
