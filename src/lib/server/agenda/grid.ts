import { and, asc, count, eq, inArray, sql } from 'drizzle-orm';
import { db, schema, type Db, type Tx } from '../db';
import { convenersOf } from '../marketplace/conveners';
import { roundOf } from '../marketplace/rounds';

// Reading agendas: the facilitator's grid of one round, and every published session of the
// event for the agenda screens, personal agendas and the wall.

const s = schema.agendaSessions;
const rb = schema.roundBlocks;
const bl = schema.blocks;

/** The session-round blocks a round fills, in time order; only this event's. */
export async function roundBlocksOf(eventId: number, roundId: number, tx: Tx | Db = db()) {
	return tx
		.select({ id: bl.id, title: bl.title, startsAt: bl.startsAt, endsAt: bl.endsAt })
		.from(rb)
		.innerJoin(bl, eq(bl.id, rb.blockId))
		.innerJoin(schema.rounds, eq(schema.rounds.id, rb.roundId))
		.where(
			and(eq(rb.roundId, roundId), eq(bl.eventId, eventId), eq(schema.rounds.eventId, eventId))
		)
		.orderBy(asc(bl.startsAt), asc(bl.id));
}

/** Every session-round block of the event, and which round (if any) fills it. */
export async function sessionRoundBlocks(eventId: number) {
	return db()
		.select({
			id: bl.id,
			title: bl.title,
			startsAt: bl.startsAt,
			endsAt: bl.endsAt,
			roundId: rb.roundId,
			roundTitle: schema.rounds.title
		})
		.from(bl)
		.leftJoin(rb, eq(rb.blockId, bl.id))
		.leftJoin(schema.rounds, eq(schema.rounds.id, rb.roundId))
		.where(and(eq(bl.eventId, eventId), eq(bl.kind, 'session_round')))
		.orderBy(asc(bl.startsAt), asc(bl.id));
}

/**
 * Dots, "I'd come" marks and people expected per proposal. Expected counts each person once,
 * whether they placed dots, said "I'd come", or both. A proposal's group size is what its
 * conveners hope for, not a sign of who will come, so it is not counted.
 */
export async function demandOf(tx: Tx | Db, proposalIds: number[]) {
	const demand = new Map<number, { dots: number; interest: number; expected: number }>();
	if (!proposalIds.length) return demand;
	const voters = await tx
		.select({
			proposalId: schema.dots.proposalId,
			userId: schema.dots.userId,
			count: schema.dots.count
		})
		.from(schema.dots)
		.where(and(inArray(schema.dots.proposalId, proposalIds), sql`${schema.dots.count} > 0`));
	const marks = await tx
		.select({ proposalId: schema.interest.proposalId, userId: schema.interest.userId })
		.from(schema.interest)
		.where(inArray(schema.interest.proposalId, proposalIds));
	const people = new Map<number, Set<number>>();
	for (const id of proposalIds) {
		demand.set(id, { dots: 0, interest: 0, expected: 0 });
		people.set(id, new Set());
	}
	for (const v of voters) {
		demand.get(v.proposalId)!.dots += v.count;
		people.get(v.proposalId)!.add(v.userId);
	}
	for (const i of marks) {
		demand.get(i.proposalId)!.interest += 1;
		people.get(i.proposalId)!.add(i.userId);
	}
	for (const [id, set] of people) demand.get(id)!.expected = set.size;
	return demand;
}

/** How many people said "I'll be there" to each of these sessions. */
export async function goingTo(tx: Tx | Db, sessionIds: number[]) {
	if (!sessionIds.length) return new Map<number, number>();
	const a = schema.sessionAttendance;
	const rows = await tx
		.select({ sessionId: a.sessionId, going: count() })
		.from(a)
		.where(inArray(a.sessionId, sessionIds))
		.groupBy(a.sessionId);
	return new Map(rows.map((r) => [r.sessionId, Number(r.going)]));
}

/** The facilitator's view of a round's agenda: the grid, and the proposals left out. */
export async function agendaOf(eventId: number, roundId: number) {
	const round = await roundOf(db(), eventId, roundId);
	const p = schema.proposals;
	const [blocks, choices, rooms, sessions, open] = await Promise.all([
		roundBlocksOf(eventId, roundId),
		sessionRoundBlocks(eventId),
		db()
			.select({ id: schema.rooms.id, name: schema.rooms.name, capacity: schema.rooms.capacity })
			.from(schema.rooms)
			.where(eq(schema.rooms.eventId, eventId))
			.orderBy(sql`${schema.rooms.capacity} desc`, asc(schema.rooms.name)),
		db()
			.select({ session: s, title: p.title, suits: p.blockIds })
			.from(s)
			.innerJoin(p, eq(p.id, s.proposalId))
			.where(and(eq(s.roundId, roundId), eq(s.eventId, eventId))),
		db()
			.select({ id: p.id, title: p.title, blockIds: p.blockIds, createdAt: p.createdAt })
			.from(p)
			.where(and(eq(p.eventId, eventId), eq(p.roundId, roundId), eq(p.status, 'open')))
			.orderBy(asc(p.createdAt), asc(p.id))
	]);
	const ids = [
		...new Set([...sessions.map((x) => x.session.proposalId), ...open.map((x) => x.id)])
	];
	const [conveners, demand, going] = await Promise.all([
		convenersOf(db(), ids),
		demandOf(db(), ids),
		goingTo(
			db(),
			sessions.map((x) => x.session.id)
		)
	]);
	const scheduled = new Set(sessions.map((x) => x.session.proposalId));
	const unscheduled = open
		.filter((x) => !scheduled.has(x.id))
		.map((x) => ({ ...x, ...demand.get(x.id)!, conveners: conveners.get(x.id) ?? [] }))
		.sort(
			(a, b) =>
				b.dots - a.dots ||
				b.interest - a.interest ||
				a.createdAt.getTime() - b.createdAt.getTime() ||
				a.id - b.id
		);
	return {
		round: { id: round.id, title: round.title, phase: round.phase },
		blocks,
		choices,
		rooms,
		sessions: sessions.map(({ session, title, suits }) => ({
			id: session.id,
			proposalId: session.proposalId,
			title,
			suits,
			blockId: session.blockId,
			roomId: session.roomId,
			pinned: session.pinned,
			dots: demand.get(session.proposalId)?.dots ?? 0,
			going: going.get(session.id) ?? 0,
			expected: Math.max(session.expected, going.get(session.id) ?? 0),
			conveners: conveners.get(session.proposalId) ?? []
		})),
		unscheduled
	};
}

export type Agenda = Awaited<ReturnType<typeof agendaOf>>;

/**
 * Every session of the event's published agendas, by block start, then room name. `expected`
 * is the larger of what the votes promised and how many said "I'll be there".
 */
export async function publishedAgenda(eventId: number) {
	const p = schema.proposals;
	const r = schema.rooms;
	const rows = await db()
		.select({
			id: s.id,
			roundId: s.roundId,
			proposalId: s.proposalId,
			title: p.title,
			question: p.question,
			format: p.format,
			expected: s.expected,
			block: { id: bl.id, title: bl.title, startsAt: bl.startsAt, endsAt: bl.endsAt },
			room: { id: r.id, name: r.name, capacity: r.capacity }
		})
		.from(s)
		.innerJoin(schema.rounds, eq(schema.rounds.id, s.roundId))
		.innerJoin(p, eq(p.id, s.proposalId))
		.innerJoin(bl, eq(bl.id, s.blockId))
		.innerJoin(r, eq(r.id, s.roomId))
		.where(and(eq(s.eventId, eventId), eq(schema.rounds.phase, 'scheduled')))
		.orderBy(asc(bl.startsAt), asc(r.name), asc(s.id));
	const [conveners, going] = await Promise.all([
		convenersOf(
			db(),
			rows.map((x) => x.proposalId)
		),
		goingTo(
			db(),
			rows.map((x) => x.id)
		)
	]);
	return rows.map((row) => ({
		...row,
		going: going.get(row.id) ?? 0,
		expected: Math.max(row.expected, going.get(row.id) ?? 0),
		conveners: conveners.get(row.proposalId) ?? []
	}));
}

export type PublishedSession = Awaited<ReturnType<typeof publishedAgenda>>[number];

/**
 * The whole days a round's blocks fall on, for the board's day view: every block of those days
 * (plenaries, talks, breaks and other rounds' blocks too), and the sessions other rounds hold
 * in them. Only this event's.
 */
export async function daysAround(eventId: number, roundId: number) {
	const mine = await roundBlocksOf(eventId, roundId);
	if (!mine.length) return { blocks: [], sessions: [] };
	const dayIds = db()
		.select({ dayId: bl.dayId })
		.from(bl)
		.where(
			and(
				eq(bl.eventId, eventId),
				inArray(
					bl.id,
					mine.map((b) => b.id)
				)
			)
		);
	const blocks = await db()
		.select({
			id: bl.id,
			title: bl.title,
			kind: bl.kind,
			startsAt: bl.startsAt,
			endsAt: bl.endsAt,
			roundId: rb.roundId,
			roundTitle: schema.rounds.title
		})
		.from(bl)
		.leftJoin(rb, eq(rb.blockId, bl.id))
		.leftJoin(schema.rounds, eq(schema.rounds.id, rb.roundId))
		.where(and(eq(bl.eventId, eventId), inArray(bl.dayId, dayIds)))
		.orderBy(asc(bl.startsAt), asc(bl.id));
	const others = blocks.filter((b) => b.roundId !== null && b.roundId !== roundId);
	const sessions = others.length
		? await db()
				.select({
					id: s.id,
					title: schema.proposals.title,
					blockId: s.blockId,
					roomId: s.roomId
				})
				.from(s)
				.innerJoin(schema.proposals, eq(schema.proposals.id, s.proposalId))
				.where(
					and(
						eq(s.eventId, eventId),
						inArray(
							s.blockId,
							others.map((b) => b.id)
						)
					)
				)
		: [];
	return { blocks, sessions };
}
