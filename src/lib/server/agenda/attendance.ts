import { and, asc, count, eq, inArray, ne, sql } from 'drizzle-orm';
import type { EventAttributes } from 'ics';
import { calendarFile } from '../core/calendar';
import { clashesOf, type Clash } from './clashes';
import { publishedAgenda, type PublishedSession } from './grid';
import { requireParticipant, requireUser, type Actor } from '../auth/guards';
import { db, schema, type Tx } from '../db';
import { notFound } from '../core/errors';
import { live } from '../live/hub';

// People and sessions of a published agenda: "I'll be there" (a personal agenda, at most one
// session per block) and "I'm here" (law of two feet: the session a person is in right now).
// Each person's changes queue on a lock of their own, so two phones cannot leave two marks in
// one block; a check-in also locks the sessions it changes, so the counts it announces are exact.

const s = schema.agendaSessions;
const a = schema.sessionAttendance;
const pr = schema.sessionPresence;

// Keys of the transaction-scoped advisory locks, one per person: (kind, user id).
const ATTENDANCE_LOCK = 7263101;
const PRESENCE_LOCK = 7263102;

/** A session of one of the event's published agendas, for a ticket holder. */
async function publishedSession(
	tx: Tx,
	actor: NonNullable<Actor>,
	eventId: number,
	sessionId: number
) {
	const [session] = await tx
		.select({ id: s.id, blockId: s.blockId, roundId: s.roundId })
		.from(s)
		.innerJoin(schema.rounds, eq(schema.rounds.id, s.roundId))
		.where(and(eq(s.id, sessionId), eq(s.eventId, eventId), eq(schema.rounds.phase, 'scheduled')));
	if (!session) throw notFound();
	await requireParticipant(actor, eventId, null, tx);
	return session;
}

const lockPerson = (tx: Tx, kind: number, userId: number) =>
	tx.execute(sql`select pg_advisory_xact_lock(${kind}::int, ${userId}::int)`);

/** "I'll be there". Marking another session of the same block moves the mark there. */
export async function attend(actor: Actor, eventId: number, sessionId: number) {
	requireUser(actor);
	return db().transaction(async (tx) => {
		const session = await publishedSession(tx, actor, eventId, sessionId);
		await lockPerson(tx, ATTENDANCE_LOCK, actor.id);
		const sameBlock = tx
			.select({ id: s.id })
			.from(s)
			.where(and(eq(s.blockId, session.blockId), ne(s.id, session.id)));
		await tx.delete(a).where(and(eq(a.userId, actor.id), inArray(a.sessionId, sameBlock)));
		await tx.insert(a).values({ sessionId: session.id, userId: actor.id }).onConflictDoNothing();
		await live().publish(eventId, 'attendance', { blockId: session.blockId }, tx);
		return { sessionId: session.id, blockId: session.blockId };
	});
}

/** Take back an "I'll be there". */
export async function leave(actor: Actor, eventId: number, sessionId: number): Promise<void> {
	requireUser(actor);
	await db().transaction(async (tx) => {
		const [session] = await tx
			.select({ id: s.id, blockId: s.blockId })
			.from(s)
			.where(and(eq(s.id, sessionId), eq(s.eventId, eventId)));
		if (!session) throw notFound();
		await tx.delete(a).where(and(eq(a.sessionId, session.id), eq(a.userId, actor.id)));
		await live().publish(eventId, 'attendance', { blockId: session.blockId }, tx);
	});
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

async function announcePresence(tx: Tx, eventId: number, blockId: number, sessionIds: number[]) {
	for (const sessionId of sessionIds) {
		const [row] = await tx.select({ count: count() }).from(pr).where(eq(pr.sessionId, sessionId));
		await live().publish(eventId, 'presence', { blockId, sessionId, count: Number(row.count) }, tx);
	}
}

/**
 * Lock the sessions whose counts change, in id order so two check-ins never wait on each other
 * in a circle; a count read after the lock includes every check-in that went before.
 */
async function lockSessions(tx: Tx, ids: number[]) {
	await tx
		.select({ id: s.id })
		.from(s)
		.where(inArray(s.id, ids))
		.orderBy(asc(s.id))
		.for('no key update');
}

/** "I'm here": the person is in this session now, and no longer in another of the block. */
export async function checkInto(
	actor: Actor,
	eventId: number,
	sessionId: number,
	now = new Date()
) {
	requireUser(actor);
	return db().transaction(async (tx) => {
		const session = await publishedSession(tx, actor, eventId, sessionId);
		await lockPerson(tx, PRESENCE_LOCK, actor.id);
		const [before] = await tx
			.select({ sessionId: pr.sessionId })
			.from(pr)
			.where(and(eq(pr.blockId, session.blockId), eq(pr.userId, actor.id)));
		const touched = [...new Set([session.id, ...(before ? [before.sessionId] : [])])];
		await lockSessions(tx, touched);
		await tx
			.insert(pr)
			.values({ blockId: session.blockId, userId: actor.id, sessionId: session.id, since: now })
			.onConflictDoUpdate({
				target: [pr.blockId, pr.userId],
				set: { sessionId: session.id, since: now }
			});
		if (before?.sessionId !== session.id) {
			await announcePresence(tx, eventId, session.blockId, touched);
		}
		return { sessionId: session.id, blockId: session.blockId };
	});
}

/** The person walked out of the session (and is in none of its block for now). */
export async function leaveSession(
	actor: Actor,
	eventId: number,
	sessionId: number
): Promise<void> {
	requireUser(actor);
	await db().transaction(async (tx) => {
		const [session] = await tx
			.select({ id: s.id, blockId: s.blockId })
			.from(s)
			.where(and(eq(s.id, sessionId), eq(s.eventId, eventId)));
		if (!session) throw notFound();
		await lockPerson(tx, PRESENCE_LOCK, actor.id);
		await lockSessions(tx, [session.id]);
		const gone = await tx
			.delete(pr)
			.where(and(eq(pr.sessionId, session.id), eq(pr.userId, actor.id)))
			.returning();
		if (gone.length) await announcePresence(tx, eventId, session.blockId, [session.id]);
	});
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
