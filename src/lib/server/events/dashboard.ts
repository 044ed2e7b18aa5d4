import { and, asc, desc, eq, isNotNull, sql } from 'drizzle-orm';
import type { TalkStatus } from '$lib/constants';
import { eventPermissionsOf, requireEventPermission, type Actor } from '../auth/guards';
import { db, schema } from '../db';
import { notFound } from '../core/errors';
import { seatFigures } from '../tickets/ticketing';
import {
	payWhatYouCanSpread,
	revenueByType,
	roomsNow,
	ticketsByTypeByDay
} from './dashboard-figures';
import { doorConflicts } from '../tickets/door-offline';

// The figures the overview draws. Each part is there only for people who may see its list
// (sales for those who see orders, talks for reviewers, the door for check-in, dots for
// facilitators); each is computed by the database in one grouped query (grouped by position:
// the time zone is a parameter, and each repetition of it would be a different expression).

export interface TimePoint {
	/** A day (YYYY-MM-DD) or an hour (YYYY-MM-DD HH:00) on the event's clock. */
	at: string;
	count: number;
}

async function ticketsByDay(eventId: number, timeZone: string): Promise<TimePoint[]> {
	const t = schema.tickets;
	const day = sql<string>`to_char(${t.createdAt} at time zone ${timeZone}, 'YYYY-MM-DD')`;
	const rows = await db()
		.select({ at: day, count: sql<number>`count(*)::int` })
		.from(t)
		.where(eq(t.eventId, eventId))
		.groupBy(sql`1`)
		.orderBy(sql`1`);
	let total = 0;
	return rows.map((x) => ({ at: x.at, count: (total += x.count) }));
}

async function checkInsByHour(eventId: number, timeZone: string): Promise<TimePoint[]> {
	const t = schema.tickets;
	const hour = sql<string>`to_char(${t.checkedInAt} at time zone ${timeZone}, 'YYYY-MM-DD HH24:00')`;
	return db()
		.select({ at: hour, count: sql<number>`count(*)::int` })
		.from(t)
		.where(and(eq(t.eventId, eventId), isNotNull(t.checkedInAt), eq(t.status, 'valid')))
		.groupBy(sql`1`)
		.orderBy(sql`1`);
}

/** Check-ins per door (the name its phone chose; null for a check-in made without one). */
async function checkInsByDoor(eventId: number) {
	const t = schema.tickets;
	return db()
		.select({ door: t.checkedInDoor, count: sql<number>`count(*)::int` })
		.from(t)
		.where(and(eq(t.eventId, eventId), isNotNull(t.checkedInAt), eq(t.status, 'valid')))
		.groupBy(t.checkedInDoor)
		.orderBy(desc(sql`2`), asc(t.checkedInDoor));
}

async function talksByStatus(eventId: number) {
	const t = schema.talks;
	const rows = await db()
		.select({ status: t.status, count: sql<number>`count(*)::int` })
		.from(t)
		.where(and(eq(t.eventId, eventId), isNotNull(t.submittedAt)))
		.groupBy(t.status);
	return rows as { status: TalkStatus; count: number }[];
}

/** Dots per open proposal of the round being voted on (the latest one in voting). */
async function votingRound(eventId: number) {
	const [round] = await db()
		.select({ id: schema.rounds.id, title: schema.rounds.title })
		.from(schema.rounds)
		.where(and(eq(schema.rounds.eventId, eventId), eq(schema.rounds.phase, 'voting')))
		.orderBy(desc(schema.rounds.id))
		.limit(1);
	if (!round) return null;
	const p = schema.proposals;
	const d = schema.dots;
	const proposals = await db()
		.select({
			id: p.id,
			title: p.title,
			dots: sql<number>`coalesce((select sum(${d.count}) from ${d} where ${d.proposalId} = ${p.id}), 0)::int`
		})
		.from(p)
		.where(and(eq(p.roundId, round.id), eq(p.status, 'open')))
		.orderBy(asc(p.id));
	return { ...round, proposals: proposals.sort((a, b) => b.dots - a.dots || a.id - b.id) };
}

/** Everything the overview draws, for what this person may see (`now` picks the block on now). */
export async function eventDashboard(actor: Actor, eventId: number, now = new Date()) {
	await requireEventPermission(actor, eventId, 'event.view_manage');
	const [event] = await db()
		.select({ timeZone: schema.events.timeZone })
		.from(schema.events)
		.where(eq(schema.events.id, eventId));
	if (!event) throw notFound();
	const can = await eventPermissionsOf(actor, eventId);
	const sales = can['orders.view'];
	const [seats, tickets, byType, revenue, spread, checkIns, talks, round, rooms] =
		await Promise.all([
			sales ? seatFigures(eventId) : null,
			sales ? ticketsByDay(eventId, event.timeZone) : null,
			sales ? ticketsByTypeByDay(eventId, event.timeZone) : null,
			sales ? revenueByType(eventId) : null,
			sales ? payWhatYouCanSpread(eventId) : null,
			can['checkin.scan'] ? checkInsByHour(eventId, event.timeZone) : null,
			can['talks.review'] ? talksByStatus(eventId) : null,
			can['marketplace.run'] ? votingRound(eventId) : null,
			can['marketplace.run'] ? roomsNow(eventId, now) : null
		]);
	const door = can['checkin.scan'];
	const [doors, doorConflictList] = await Promise.all([
		door ? checkInsByDoor(eventId) : null,
		door ? doorConflicts(actor, eventId) : null
	]);
	return {
		seats,
		tickets,
		ticketsByType: byType,
		revenue,
		spread,
		checkIns,
		doors,
		doorConflicts: doorConflictList,
		talks,
		round: can['marketplace.run'] ? { current: round } : null,
		rooms: can['marketplace.run'] ? { now: rooms } : null
	};
}

export type EventDashboard = Awaited<ReturnType<typeof eventDashboard>>;
