import { and, eq, inArray, sql } from 'drizzle-orm';
import { sha256 } from '../auth/tokens';
import { db, schema } from '../db';
import type { FeedEntry } from './entries';

// Feeds are computed from the live data; what they served before is remembered only as a
// fingerprint, so every change is noticed however it was made (a moved session, an edited
// title, a reordered block) and raises the entry's SEQUENCE and the schedule's version once.
// Reading compares first and writes only what changed: a feed read a thousand times an hour
// with nothing new writes nothing. When readers race on a change, the guarded upsert's row lock
// orders them, and the one that finds the change already made reads the result instead.

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

async function storedSequences(eventId: number, uids: string[]) {
	const rows = await db()
		.select({ uid: fe.uid, fingerprint: fe.fingerprint, sequence: fe.sequence })
		.from(fe)
		.where(and(eq(fe.eventId, eventId), inArray(fe.uid, uids)));
	return new Map(rows.map((x) => [x.uid, x]));
}

/** Each entry's SEQUENCE, raised by one for every change since it was first served. */
export async function entrySequences(eventId: number, entries: FeedEntry[]) {
	if (!entries.length) return new Map<string, number>();
	const uids = entries.map((x) => x.uid);
	const stored = await storedSequences(eventId, uids);
	const changed = entries
		.map((x) => ({ eventId, uid: x.uid, fingerprint: entryFingerprint(x) }))
		.filter((x) => stored.get(x.uid)?.fingerprint !== x.fingerprint);
	const sequences = new Map(uids.map((uid) => [uid, stored.get(uid)?.sequence ?? 0]));
	if (!changed.length) return sequences;
	const written = await db()
		.insert(fe)
		.values(changed)
		.onConflictDoUpdate({
			target: [fe.eventId, fe.uid],
			set: { fingerprint: sql`excluded.fingerprint`, sequence: sql`${fe.sequence} + 1` },
			setWhere: sql`${fe.fingerprint} <> excluded.fingerprint`
		})
		.returning({ uid: fe.uid, sequence: fe.sequence });
	for (const x of written) sequences.set(x.uid, x.sequence);
	// Entries another reader updated first: theirs is the current SEQUENCE.
	const raced = changed.filter((x) => !written.some((w) => w.uid === x.uid)).map((x) => x.uid);
	if (raced.length) {
		for (const [uid, x] of await storedSequences(eventId, raced)) sequences.set(uid, x.sequence);
	}
	return sequences;
}

async function storedVersion(eventId: number) {
	const [row] = await db()
		.select({ fingerprint: sv.fingerprint, version: sv.version })
		.from(sv)
		.where(eq(sv.eventId, eventId));
	return row;
}

/**
 * The schedule's version: 1 when first served, raised whenever what it publishes changes
 * (an entry added, removed, moved or edited, or the event's own details).
 */
export async function scheduleVersion(eventId: number, entries: FeedEntry[], details: unknown) {
	const fingerprint = sha256(
		JSON.stringify([details, entries.map((x) => [x.uid, entryFingerprint(x)])])
	);
	const stored = await storedVersion(eventId);
	if (stored?.fingerprint === fingerprint) return stored.version;
	const [row] = await db()
		.insert(sv)
		.values({ eventId, fingerprint })
		.onConflictDoUpdate({
			target: sv.eventId,
			set: { fingerprint, version: sql`${sv.version} + 1`, changedAt: sql`now()` },
			setWhere: sql`${sv.fingerprint} <> excluded.fingerprint`
		})
		.returning({ version: sv.version });
	return row ? row.version : (await storedVersion(eventId))!.version;
}
