import { and, asc, count, eq, sql } from 'drizzle-orm';
import { m } from '$lib/paraglide/messages';
import type { TicketingInput, TicketTypeInput } from '$lib/schemas/tickets';
import { zonedToInstant } from '$lib/time';
import { logActivity } from '../core/activity';
import { requireEventPermission, type Actor } from '../auth/guards';
import { db, schema, type Db, type Tx } from '../db';
import { invalid, notFound } from '../core/errors';
import { stripeEnabled } from './payments/stripe';

// An event's ticketing: its settings (currency, cancellation deadline, refund policy, how long a
// waiting-list offer lasts), its ticket types, the seat figures and what is on sale now.

export type TicketType = typeof schema.ticketTypes.$inferSelect;
export type Ticketing = typeof schema.ticketing.$inferSelect;

const localToInstant = (value: string, timeZone: string) => {
	if (!value) return null;
	const [date, time] = value.split('T');
	return zonedToInstant(date, time, timeZone);
};

async function eventZone(tx: Tx | Db, eventId: number): Promise<string> {
	const [row] = await tx
		.select({ tz: schema.events.timeZone })
		.from(schema.events)
		.where(eq(schema.events.id, eventId));
	if (!row) throw notFound();
	return row.tz;
}

export async function getTicketing(eventId: number): Promise<Ticketing> {
	const [row] = await db()
		.select()
		.from(schema.ticketing)
		.where(eq(schema.ticketing.eventId, eventId));
	if (!row) throw notFound();
	return row;
}

export async function updateTicketing(
	actor: Actor,
	eventId: number,
	input: TicketingInput
): Promise<void> {
	const who = await requireEventPermission(actor, eventId, 'tickets.manage');
	const tz = await eventZone(db(), eventId);
	await db()
		.update(schema.ticketing)
		.set({
			currency: input.currency,
			cancelUntil: localToInstant(input.cancelUntil, tz),
			refundPolicy: input.refundPolicy,
			offerHours: input.offerHours
		})
		.where(eq(schema.ticketing.eventId, eventId));
	await logActivity(db(), { eventId, actorId: who.id, action: 'ticketing.updated' });
}

function typeValues(input: TicketTypeInput, timeZone: string) {
	return {
		name: input.name,
		description: input.description,
		pricing: input.pricing,
		priceCents: input.pricing === 'fixed' ? input.price : 0,
		minCents: input.pricing === 'pay_what_you_can' ? input.minPrice : 0,
		suggestedCents: input.pricing === 'pay_what_you_can' ? input.suggestedPrice : 0,
		maxCents: input.pricing === 'pay_what_you_can' ? input.maxPrice : 0,
		quota: input.quota,
		salesStart: localToInstant(input.salesStart, timeZone),
		salesEnd: localToInstant(input.salesEnd, timeZone),
		accessCode: input.accessCode || null,
		perPerson: input.perPerson
	};
}

async function refuseQuotaOverCap(tx: Tx, eventId: number, quota: number | null) {
	if (quota === null) return;
	const [event] = await tx
		.select({ capacity: schema.events.capacity })
		.from(schema.events)
		.where(eq(schema.events.id, eventId));
	if (quota > event.capacity)
		throw invalid({ quota: m.error_quota_over_cap({ cap: event.capacity }) });
}

export async function addTicketType(
	actor: Actor,
	eventId: number,
	input: TicketTypeInput
): Promise<TicketType> {
	const who = await requireEventPermission(actor, eventId, 'tickets.manage');
	return db().transaction(async (tx) => {
		await refuseQuotaOverCap(tx, eventId, input.quota);
		const tz = await eventZone(tx, eventId);
		const [{ n }] = await tx
			.select({ n: count() })
			.from(schema.ticketTypes)
			.where(eq(schema.ticketTypes.eventId, eventId));
		const [type] = await tx
			.insert(schema.ticketTypes)
			.values({ eventId, position: n, ...typeValues(input, tz) })
			.returning();
		await logActivity(tx, {
			eventId,
			actorId: who.id,
			action: 'ticket_type.added',
			data: { name: type.name }
		});
		return type;
	});
}

export async function updateTicketType(
	actor: Actor,
	eventId: number,
	typeId: number,
	input: TicketTypeInput
): Promise<TicketType> {
	const who = await requireEventPermission(actor, eventId, 'tickets.manage');
	return db().transaction(async (tx) => {
		await refuseQuotaOverCap(tx, eventId, input.quota);
		const tz = await eventZone(tx, eventId);
		const t = schema.ticketTypes;
		const [current] = await tx
			.select()
			.from(t)
			.where(and(eq(t.id, typeId), eq(t.eventId, eventId)))
			.for('update');
		if (!current) throw notFound();
		if (input.quota !== null && input.quota < current.seatsTaken) {
			throw invalid({ quota: m.error_quota_below_taken({ taken: current.seatsTaken }) });
		}
		const [type] = await tx
			.update(t)
			.set(typeValues(input, tz))
			.where(eq(t.id, typeId))
			.returning();
		await logActivity(tx, {
			eventId,
			actorId: who.id,
			action: 'ticket_type.updated',
			data: { name: type.name }
		});
		return type;
	});
}

export async function deleteTicketType(
	actor: Actor,
	eventId: number,
	typeId: number
): Promise<void> {
	const who = await requireEventPermission(actor, eventId, 'tickets.manage');
	await db().transaction(async (tx) => {
		const t = schema.ticketTypes;
		const [type] = await tx
			.select()
			.from(t)
			.where(and(eq(t.id, typeId), eq(t.eventId, eventId)));
		if (!type) throw notFound();
		const [{ n }] = await tx
			.select({ n: count() })
			.from(schema.orders)
			.where(eq(schema.orders.ticketTypeId, typeId));
		if (n > 0) throw invalid({ _form: m.error_type_has_orders() });
		await tx.delete(t).where(eq(t.id, typeId));
		await logActivity(tx, {
			eventId,
			actorId: who.id,
			action: 'ticket_type.deleted',
			data: { name: type.name }
		});
	});
}

export async function listTicketTypes(eventId: number): Promise<TicketType[]> {
	return db()
		.select()
		.from(schema.ticketTypes)
		.where(eq(schema.ticketTypes.eventId, eventId))
		.orderBy(asc(schema.ticketTypes.position), asc(schema.ticketTypes.id));
}

/** Sold, held, remaining and waiting for the event (the organiser's at-a-glance figures). */
export async function seatFigures(eventId: number) {
	const o = schema.orders;
	const [row] = await db()
		.select({
			capacity: schema.events.capacity,
			taken: schema.ticketing.seatsTaken,
			sold: sql<number>`(select count(*)::int from ${o} where ${o.eventId} = ${eventId} and ${o.status} = 'paid')`,
			held: sql<number>`(select count(*)::int from ${o} where ${o.eventId} = ${eventId} and ${o.status} = 'held' and ${o.holdsSeat})`,
			offered: sql<number>`(select count(*)::int from ${schema.waitingList} w where w.event_id = ${eventId} and w.status = 'offered')`,
			waiting: sql<number>`(select count(*)::int from ${schema.waitingList} w where w.event_id = ${eventId} and w.status = 'waiting')`
		})
		.from(schema.events)
		.innerJoin(schema.ticketing, eq(schema.ticketing.eventId, schema.events.id))
		.where(eq(schema.events.id, eventId));
	if (!row) throw notFound();
	return { ...row, remaining: Math.max(0, row.capacity - row.taken) };
}

export type SaleState =
	'on_sale' | 'not_yet' | 'ended' | 'sold_out' | 'sold_out_for_now' | 'no_payments';

/** What a buyer sees for each ticket type: hidden ones only with their access code. */
export async function ticketTypesForSale(eventId: number, accessCode = '', now = new Date()) {
	const [types, figures] = await Promise.all([listTicketTypes(eventId), seatFigures(eventId)]);
	const code = accessCode.trim().toLowerCase();
	return types
		.filter((t) => !t.accessCode || t.accessCode.toLowerCase() === code)
		.map((t) => {
			const typeLeft = t.quota === null ? Infinity : t.quota - t.seatsTaken;
			const left = Math.min(typeLeft, figures.remaining);
			let state: SaleState = 'on_sale';
			if (t.salesStart && now < t.salesStart) state = 'not_yet';
			else if (t.salesEnd && now >= t.salesEnd) state = 'ended';
			else if (t.pricing !== 'free' && !stripeEnabled()) state = 'no_payments';
			else if (left <= 0)
				state = figures.held + figures.offered > 0 ? 'sold_out_for_now' : 'sold_out';
			return {
				...t,
				accessCode: t.accessCode ? code : null,
				state,
				left: Number.isFinite(left) ? left : null
			};
		});
}
