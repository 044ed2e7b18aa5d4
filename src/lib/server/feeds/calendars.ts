import { and, eq } from 'drizzle-orm';
import { myAgenda } from '../agenda/attendance';
import { requireUser, type Actor } from '../auth/guards';
import { randomString, sha256 } from '../auth/tokens';
import { feedCalendar, type FeedCalendarEntry } from '../core/calendar';
import { notFound } from '../core/errors';
import { db, schema } from '../db';
import type { Event } from '../events/events';
import { myTalks } from '../talks/talks';
import { feedEntries, personalEntries, type FeedEntry } from './entries';
import { entrySequences } from './versions';

// Calendar feeds a calendar app subscribes to: the public programme (talks and sessions) and
// each person's own agenda at a secret address that needs no cookie. The address holds a
// random token; only its SHA-256 is stored, so a leaked database does not leak the addresses.
// A person has at most one address per event: making a new one ends the old. Their agenda
// holds the sessions they said they will be at and the lightning talks they give.

const ct = schema.calendarTokens;

async function calendarEntries(event: Event, entries: FeedEntry[], origin: string) {
	const sequences = await entrySequences(event.id, entries);
	const place = [event.venue, event.address].filter(Boolean).join(', ');
	return entries.map((x): FeedCalendarEntry => ({
		uid: x.uid,
		sequence: sequences.get(x.uid) ?? 0,
		title: x.title,
		description: [event.name, x.persons.map((p) => p.name).join(', '), x.abstract, origin + x.path]
			.filter(Boolean)
			.join('\n'),
		location: [x.room, place].filter(Boolean).join(', '),
		url: origin + x.path,
		startsAt: x.startsAt,
		endsAt: x.endsAt
	}));
}

/** The public programme and agenda as one subscribable calendar. */
export async function programmeCalendar(event: Event, origin: string): Promise<string> {
	const entries = await calendarEntries(event, await feedEntries(event), origin);
	return feedCalendar(event.name, entries);
}

/** Make the person's secret calendar address for this event, ending any earlier one. */
export async function makeCalendarToken(actor: Actor, eventId: number): Promise<string> {
	requireUser(actor);
	const token = randomString(32);
	await db().transaction(async (tx) => {
		await tx.delete(ct).where(and(eq(ct.eventId, eventId), eq(ct.userId, actor.id)));
		await tx.insert(ct).values({ eventId, userId: actor.id, tokenHash: sha256(token) });
	});
	return token;
}

/** End the person's secret calendar address: calendar apps get "not found" from then on. */
export async function revokeCalendarToken(actor: Actor, eventId: number): Promise<void> {
	requireUser(actor);
	await db()
		.delete(ct)
		.where(and(eq(ct.eventId, eventId), eq(ct.userId, actor.id)));
}

/** When the person's current address was made, or null without one. */
export async function calendarTokenMade(actor: Actor, eventId: number): Promise<Date | null> {
	requireUser(actor);
	const [row] = await db()
		.select({ createdAt: ct.createdAt })
		.from(ct)
		.where(and(eq(ct.eventId, eventId), eq(ct.userId, actor.id)));
	return row?.createdAt ?? null;
}

/** The agenda behind a secret address; "not found" for an unknown or ended token. */
export async function personalCalendar(event: Event, token: string, origin: string) {
	const [row] = await db()
		.select({ userId: ct.userId, isAdmin: schema.users.isAdmin })
		.from(ct)
		.innerJoin(schema.users, eq(schema.users.id, ct.userId))
		.where(and(eq(ct.tokenHash, sha256(token)), eq(ct.eventId, event.id)));
	if (!row) throw notFound();
	const person = { id: row.userId, isAdmin: row.isAdmin };
	const [sessions, talks] = await Promise.all([
		myAgenda(person, event.id),
		myTalks(person, event.id)
	]);
	const own = new Set(talks.filter((x) => x.status === 'accepted').map((x) => x.id));
	const entries = await personalEntries(event, sessions, own);
	return feedCalendar(event.name, await calendarEntries(event, entries, origin));
}
