import { and, asc, eq, gt, lte, sql } from 'drizzle-orm';
import { headcounts } from '../agenda/attendance';
import { db, schema } from '../db';

// The dashboard's figures about money, ticket types and rooms: each one grouped query, read by
// eventDashboard (dashboard.ts) for those who may see them.

export interface TypeSeries {
	id: number;
	name: string;
	/** The type's own limit, when it has one. */
	quota: number | null;
	/** Running total of tickets issued, per day (YYYY-MM-DD on the event's clock). */
	points: { at: string; count: number }[];
}

/** Tickets issued per type over time, as running totals on every day any ticket was issued. */
export async function ticketsByTypeByDay(eventId: number, timeZone: string): Promise<TypeSeries[]> {
	const t = schema.tickets;
	const tt = schema.ticketTypes;
	const day = sql<string>`to_char(${t.createdAt} at time zone ${timeZone}, 'YYYY-MM-DD')`;
	const [types, rows] = await Promise.all([
		db()
			.select({ id: tt.id, name: tt.name, quota: tt.quota })
			.from(tt)
			.where(eq(tt.eventId, eventId))
			.orderBy(asc(tt.position), asc(tt.id)),
		db()
			.select({ typeId: t.ticketTypeId, at: day, count: sql<number>`count(*)::int` })
			.from(t)
			.where(eq(t.eventId, eventId))
			.groupBy(sql`1`, sql`2`)
			.orderBy(sql`2`)
	]);
	const days = [...new Set(rows.map((x) => x.at))];
	return types
		.filter((type) => rows.some((x) => x.typeId === type.id))
		.map((type) => {
			let total = 0;
			const points = days.map((at) => {
				total += rows.find((x) => x.typeId === type.id && x.at === at)?.count ?? 0;
				return { at, count: total };
			});
			return { ...type, points };
		});
}

/** Money taken per ticket type: paid orders only (refunded and disputed ones are not income). */
export async function revenueByType(eventId: number) {
	const o = schema.orders;
	const tt = schema.ticketTypes;
	return db()
		.select({
			id: tt.id,
			name: tt.name,
			currency: o.currency,
			cents: sql<number>`sum(${o.amountCents})::int`,
			orders: sql<number>`count(*)::int`
		})
		.from(o)
		.innerJoin(tt, eq(tt.id, o.ticketTypeId))
		.where(and(eq(o.eventId, eventId), eq(o.status, 'paid')))
		.groupBy(tt.id, tt.name, o.currency, tt.position)
		.orderBy(asc(tt.position), asc(tt.id));
}

export interface PwycSpread {
	id: number;
	name: string;
	currency: string;
	minCents: number;
	suggestedCents: number;
	maxCents: number;
	/** What each paid order paid, smallest first. */
	amounts: number[];
	median: number;
}

function median(sorted: number[]) {
	const mid = Math.floor(sorted.length / 2);
	return sorted.length % 2 ? sorted[mid] : Math.round((sorted[mid - 1] + sorted[mid]) / 2);
}

/** What people chose to pay, per pay-what-you-can type with paid orders. */
export async function payWhatYouCanSpread(eventId: number): Promise<PwycSpread[]> {
	const o = schema.orders;
	const tt = schema.ticketTypes;
	const rows = await db()
		.select({
			id: tt.id,
			name: tt.name,
			currency: o.currency,
			minCents: tt.minCents,
			suggestedCents: tt.suggestedCents,
			maxCents: tt.maxCents,
			amount: o.amountCents
		})
		.from(o)
		.innerJoin(tt, eq(tt.id, o.ticketTypeId))
		.where(and(eq(o.eventId, eventId), eq(o.status, 'paid'), eq(tt.pricing, 'pay_what_you_can')))
		.orderBy(asc(tt.position), asc(tt.id), asc(o.amountCents));
	const spreads = new Map<number, PwycSpread>();
	for (const { amount, ...type } of rows) {
		const spread = spreads.get(type.id) ?? { ...type, amounts: [], median: 0 };
		spread.amounts.push(amount);
		spreads.set(type.id, spread);
	}
	return [...spreads.values()].map((x) => ({ ...x, median: median(x.amounts) }));
}

/**
 * "I'm here" per room in the open-space block on now (sessions of a published agenda): how
 * many people said they are in each session, against the room's places. Null between blocks.
 */
export async function roomsNow(eventId: number, now: Date) {
	const b = schema.blocks;
	const s = schema.agendaSessions;
	const [block] = await db()
		.select({ id: b.id, title: b.title, startsAt: b.startsAt, endsAt: b.endsAt })
		.from(b)
		.innerJoin(s, eq(s.blockId, b.id))
		.innerJoin(schema.rounds, eq(schema.rounds.id, s.roundId))
		.where(
			and(
				eq(b.eventId, eventId),
				lte(b.startsAt, now),
				gt(b.endsAt, now),
				eq(schema.rounds.phase, 'scheduled')
			)
		)
		.orderBy(asc(b.startsAt), asc(b.id))
		.limit(1);
	if (!block) return null;
	return { block, rooms: await headcounts(eventId, block.id) };
}
