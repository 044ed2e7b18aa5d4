import { and, asc, count, eq, sql } from 'drizzle-orm';
import type { EventAttributes } from 'ics';
import { calendarFile } from '../core/calendar';
import { clashesOf, type Clash } from './clashes';
import { publishedAgenda, type PublishedSession } from './grid';
import type { RoundPhase } from '$lib/constants';
import { requireUser, type Actor } from '../auth/guards';
import { db, prepared, schema } from '../db';
import { notFound } from '../core/errors';
import { REFUSALS, type Refusal } from '../core/refusals';

// People and sessions of a published agenda: "I'll be there" (a personal agenda, at most one
// session per block) and "I'm here" (law of two feet: the session a person is in right now).
// Each person's changes queue on a lock of their own, so two phones cannot leave two marks in
// one block; a check-in also locks the sessions it changes, so the counts it announces are exact.
// Both marks are written here only, each as one statement.

const s = schema.agendaSessions;
const a = schema.sessionAttendance;
const pr = schema.sessionPresence;

// Keys of the transaction-scoped advisory locks, one per person: (kind, user id).
const ATTENDANCE_LOCK = 7263101;
const PRESENCE_LOCK = 7263102;

/** The phase whose agenda is published: people mark and check into its sessions. */
const PUBLISHED: RoundPhase = 'scheduled';

type MarkRow = { outcome: 'done' | Refusal; block_id: number };

/**
 * One mark as one prepared statement (migration 0017_hot_writes): `attendance_mark` for "I'll
 * be there", `presence_mark` for "I'm here". Each checks the session is of this event (and, to
 * mark, of a published agenda, with a ticket), takes the person's advisory lock, writes, and
 * announces what changed through `live_publish` in the same statement.
 */
async function markOne(text: string, params: (string | number | boolean)[]) {
	const [row] = await prepared<MarkRow>(text, params);
	if (row.outcome !== 'done') throw REFUSALS[row.outcome]();
	return row.block_id;
}

/** "I'll be there". Marking another session of the same block moves the mark there. */
export async function attend(actor: Actor, eventId: number, sessionId: number) {
	requireUser(actor);
	const blockId = await markOne('select * from attendance_mark($1, $2, $3, true, $4, $5)', [
		eventId,
		sessionId,
		actor.id,
		PUBLISHED,
		ATTENDANCE_LOCK
	]);
	return { sessionId, blockId };
}

/** Take back an "I'll be there". */
export async function leave(actor: Actor, eventId: number, sessionId: number): Promise<void> {
	requireUser(actor);
	await markOne('select * from attendance_mark($1, $2, $3, false, $4, $5)', [
		eventId,
		sessionId,
		actor.id,
		PUBLISHED,
		ATTENDANCE_LOCK
	]);
}

/**
 * `going` stays the session's count; `attending` is this person's "I'll be there"; `clashes`
 * their other sessions at an overlapping time (see clashes.ts).
 */
export type MySession = PublishedSession & {
	attending: boolean;
	convening: boolean;
	clashes: Clash[];
};

/** The proposals a person convenes in the event. */
async function convenedBy(actor: Actor, eventId: number): Promise<Set<number>> {
	if (!actor) return new Set();
	const rows = await db()
		.select({ proposalId: schema.conveners.proposalId })
		.from(schema.conveners)
		.innerJoin(schema.proposals, eq(schema.proposals.id, schema.conveners.proposalId))
		.where(and(eq(schema.conveners.userId, actor.id), eq(schema.proposals.eventId, eventId)));
	return new Set(rows.map((x) => x.proposalId));
}

/** The person's agenda: sessions they said they will be at, and sessions they convene. */
export async function myAgenda(actor: Actor, eventId: number): Promise<MySession[]> {
	requireUser(actor);
	const [all, marks, mine] = await Promise.all([
		publishedAgenda(eventId),
		myMarks(actor, eventId),
		convenedBy(actor, eventId)
	]);
	const own = all
		.filter((x) => marks.going.has(x.id) || mine.has(x.proposalId))
		.map((x) => ({ ...x, attending: marks.going.has(x.id), convening: mine.has(x.proposalId) }));
	const clashes = clashesOf(own, own);
	return own.map((x) => ({ ...x, clashes: clashes.get(x.id) ?? [] }));
}

/**
 * The person's agenda as an iCalendar file. Times are UTC, which every calendar shows in the
 * reader's own zone; the description names the event's zone for people reading it elsewhere.
 */
export async function myAgendaIcs(actor: Actor, eventId: number, origin = ''): Promise<string> {
	const sessions = await myAgenda(actor, eventId);
	const [event] = await db().select().from(schema.events).where(eq(schema.events.id, eventId));
	if (!event) throw notFound();
	const url = `${origin}/e/${event.slug}`;
	const entries: EventAttributes[] = sessions.map((x) => ({
		uid: `session-${x.id}@commonspace`,
		title: x.title,
		description: [
			event.name,
			`${x.block.title} (${event.timeZone})`,
			x.conveners.map((c) => c.name).join(', '),
			x.question,
			url
		]
			.filter(Boolean)
			.join('\n'),
		location: [x.room.name, event.venue, event.address].filter(Boolean).join(', '),
		url,
		productId: 'commonspace/ics',
		start: x.block.startsAt.getTime(),
		startInputType: 'utc',
		startOutputType: 'utc',
		end: x.block.endsAt.getTime(),
		endInputType: 'utc',
		endOutputType: 'utc'
	}));
	return calendarFile(entries);
}

/**
 * "I'm here": the person is in this session now, and no longer in another of the block. The
 * sessions whose counts change are locked in id order before the change, so each count
 * announced includes every check-in before it.
 */
export async function checkInto(
	actor: Actor,
	eventId: number,
	sessionId: number,
	now = new Date()
) {
	requireUser(actor);
	const blockId = await markOne('select * from presence_mark($1, $2, $3, true, $4, $5, $6)', [
		eventId,
		sessionId,
		actor.id,
		PUBLISHED,
		PRESENCE_LOCK,
		now.toISOString()
	]);
	return { sessionId, blockId };
}

/** The person walked out of the session (and is in none of its block for now). */
export async function leaveSession(
	actor: Actor,
	eventId: number,
	sessionId: number
): Promise<void> {
	requireUser(actor);
	await markOne('select * from presence_mark($1, $2, $3, false, $4, $5, $6)', [
		eventId,
		sessionId,
		actor.id,
		PUBLISHED,
		PRESENCE_LOCK,
		new Date().toISOString()
	]);
}

/** How many people are in each session of a block right now, with its room. */
export async function headcounts(eventId: number, blockId: number) {
	const r = schema.rooms;
	return db()
		.select({
			sessionId: s.id,
			title: schema.proposals.title,
			roomId: r.id,
			roomName: r.name,
			capacity: r.capacity,
			count: sql<number>`(select count(*)::int from ${pr} where ${pr.sessionId} = ${s.id})`
		})
		.from(s)
		.innerJoin(schema.proposals, eq(schema.proposals.id, s.proposalId))
		.innerJoin(r, eq(r.id, s.roomId))
		.where(and(eq(s.eventId, eventId), eq(s.blockId, blockId)))
		.orderBy(asc(r.name), asc(s.id));
}

/** The sessions a person said they will be at, and the ones they are in now. */
export async function myMarks(actor: Actor, eventId: number) {
	if (!actor) return { going: new Set<number>(), here: new Set<number>() };
	const [going, here] = await Promise.all([
		db()
			.select({ sessionId: a.sessionId })
			.from(a)
			.innerJoin(s, eq(s.id, a.sessionId))
			.where(and(eq(a.userId, actor.id), eq(s.eventId, eventId))),
		db()
			.select({ sessionId: pr.sessionId })
			.from(pr)
			.innerJoin(s, eq(s.id, pr.sessionId))
			.where(and(eq(pr.userId, actor.id), eq(s.eventId, eventId)))
	]);
	return {
		going: new Set(going.map((x) => x.sessionId)),
		here: new Set(here.map((x) => x.sessionId))
	};
}

/** How many people are in each session of the event's published agendas right now. */
export async function presenceCounts(eventId: number): Promise<Map<number, number>> {
	const rows = await db()
		.select({ sessionId: pr.sessionId, count: count() })
		.from(pr)
		.innerJoin(s, eq(s.id, pr.sessionId))
		.where(eq(s.eventId, eventId))
		.groupBy(pr.sessionId);
	return new Map(rows.map((r) => [r.sessionId, Number(r.count)]));
}

/** Every session of the published agendas with its headcounts, and this person's marks on it. */
export async function agendaWithMarks(actor: Actor, eventId: number) {
	const [sessions, marks, here, convened] = await Promise.all([
		publishedAgenda(eventId),
		myMarks(actor, eventId),
		presenceCounts(eventId),
		convenedBy(actor, eventId)
	]);
	// Marking stays allowed; the person's own sessions say when they meet another of theirs.
	const own = sessions
		.map((x) => ({
			...x,
			attending: marks.going.has(x.id),
			convening: convened.has(x.proposalId)
		}))
		.filter((x) => x.attending || x.convening);
	const clashes = clashesOf(own, own);
	return sessions.map((x) => ({
		...x,
		here: here.get(x.id) ?? 0,
		mineGoing: marks.going.has(x.id),
		mineHere: marks.here.has(x.id),
		clashes: clashes.get(x.id) ?? []
	}));
}

export type MarkedSession = Awaited<ReturnType<typeof agendaWithMarks>>[number];
