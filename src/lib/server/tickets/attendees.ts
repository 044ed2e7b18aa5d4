import { and, asc, desc, eq } from 'drizzle-orm';
import { logActivity } from '../core/activity';
import { requireEventPermission, type Actor } from '../auth/guards';
import { db, schema } from '../db';
import { notFound } from '../core/errors';
import { toCsv } from '../core/csv';
import { mailTicket } from './orders';

/** Every order of the event with its ticket type and ticket, newest first. */
export async function listOrders(actor: Actor, eventId: number) {
	await requireEventPermission(actor, eventId, 'orders.view');
	return db()
		.select({ order: schema.orders, typeName: schema.ticketTypes.name, ticket: schema.tickets })
		.from(schema.orders)
		.innerJoin(schema.ticketTypes, eq(schema.ticketTypes.id, schema.orders.ticketTypeId))
		.leftJoin(schema.tickets, eq(schema.tickets.orderId, schema.orders.id))
		.where(eq(schema.orders.eventId, eventId))
		.orderBy(desc(schema.orders.id));
}

const money = (cents: number) => (cents / 100).toFixed(2);

/** The attendee list (valid tickets) as CSV, for badges, catering and the door. */
export async function attendeesCsv(actor: Actor, eventId: number): Promise<string> {
	const rows = await listOrders(actor, eventId);
	return toCsv(
		[
			'ticket',
			'name',
			'email',
			'ticket type',
			'public name',
			'dietary needs',
			'access needs',
			'amount',
			'currency',
			'checked in at'
		],
		rows
			.filter((r) => r.ticket && r.ticket.status === 'valid')
			.map(({ order, ticket, typeName }) => [
				ticket!.code,
				ticket!.name,
				ticket!.email,
				typeName,
				order.answers.publicName,
				order.answers.dietary,
				order.answers.access,
				money(order.amountCents),
				order.currency,
				ticket!.checkedInAt
			])
	);
}

/** Every order, in every state: paid, cancelled, refunded, waiting for a refund, lapsed. */
export async function ordersCsv(actor: Actor, eventId: number): Promise<string> {
	const rows = await listOrders(actor, eventId);
	return toCsv(
		[
			'order',
			'created at',
			'status',
			'ticket type',
			'name',
			'email',
			'amount',
			'currency',
			'paid at',
			'cancelled at',
			'refunded',
			'ticket',
			'ticket status',
			'payment'
		],
		rows.map(({ order, ticket, typeName }) => [
			order.id,
			order.createdAt,
			order.status,
			typeName,
			order.attendeeName,
			order.attendeeEmail,
			money(order.amountCents),
			order.currency,
			order.paidAt,
			order.cancelledAt,
			order.status === 'refunded' ? 'yes' : order.status === 'refund_pending' ? 'pending' : 'no',
			ticket?.code,
			ticket?.status,
			order.stripePaymentIntent
		])
	);
}

/** Every ticket issued, valid or cancelled, with its check-in and who scanned it. */
export async function ticketsCsv(actor: Actor, eventId: number): Promise<string> {
	await requireEventPermission(actor, eventId, 'orders.view');
	const t = schema.tickets;
	const rows = await db()
		.select({
			ticket: t,
			typeName: schema.ticketTypes.name,
			scannedBy: schema.users.name
		})
		.from(t)
		.innerJoin(schema.ticketTypes, eq(schema.ticketTypes.id, t.ticketTypeId))
		.leftJoin(schema.users, eq(schema.users.id, t.checkedInBy))
		.where(eq(t.eventId, eventId))
		.orderBy(asc(t.id));
	return toCsv(
		[
			'ticket',
			'name',
			'email',
			'ticket type',
			'status',
			'issued at',
			'checked in at',
			'checked in by'
		],
		rows.map(({ ticket, typeName, scannedBy }) => [
			ticket.code,
			ticket.name,
			ticket.email,
			typeName,
			ticket.status,
			ticket.createdAt,
			ticket.checkedInAt,
			scannedBy
		])
	);
}

/** The waiting list in queue order, with where each person stands. */
export async function waitingListCsv(actor: Actor, eventId: number): Promise<string> {
	await requireEventPermission(actor, eventId, 'orders.view');
	const w = schema.waitingList;
	const rows = await db()
		.select({ entry: w, typeName: schema.ticketTypes.name })
		.from(w)
		.innerJoin(schema.ticketTypes, eq(schema.ticketTypes.id, w.ticketTypeId))
		.where(eq(w.eventId, eventId))
		.orderBy(asc(w.id));
	return toCsv(
		['position', 'name', 'email', 'ticket type', 'status', 'joined at', 'offer expires at'],
		rows.map(({ entry, typeName }, i) => [
			i + 1,
			entry.name,
			entry.email,
			typeName,
			entry.status,
			entry.createdAt,
			entry.offerExpiresAt
		])
	);
}

/**
 * Catering and access: per day of the event, how many valid tickets there are and how many
 * people gave each dietary or access need (answers that differ only in case or spacing are
 * counted together, under the first spelling). Every ticket is for the whole event, so each day counts every holder.
 */
export async function cateringCsv(actor: Actor, eventId: number): Promise<string> {
	const rows = (await listOrders(actor, eventId)).filter((r) => r.ticket?.status === 'valid');
	const days = await db()
		.select({ date: schema.days.date })
		.from(schema.days)
		.where(eq(schema.days.eventId, eventId))
		.orderBy(asc(schema.days.date));
	const needs = (kind: 'dietary' | 'access') => {
		const counted = new Map<string, { answer: string; count: number }>();
		// Oldest first, so each need is spelled as the first person to give it wrote it.
		for (const { order } of [...rows].reverse()) {
			const answer = order.answers[kind].trim().replace(/\s+/g, ' ');
			if (!answer) continue;
			const key = answer.toLowerCase();
			const seen = counted.get(key) ?? { answer, count: 0 };
			counted.set(key, { ...seen, count: seen.count + 1 });
		}
		return [...counted.values()].sort(
			(a, b) => b.count - a.count || a.answer.localeCompare(b.answer)
		);
	};
	const dietary = needs('dietary');
	const access = needs('access');
	return toCsv(
		['day', 'kind', 'need', 'people'],
		days.flatMap(({ date }) => [
			[date, 'tickets', '', rows.length],
			...dietary.map((x) => [date, 'dietary', x.answer, x.count]),
			...access.map((x) => [date, 'access', x.answer, x.count])
		])
	);
}

export async function resendTicket(
	actor: Actor,
	eventId: number,
	orderId: number,
	origin: string
): Promise<void> {
	const who = await requireEventPermission(actor, eventId, 'orders.manage');
	const [ticket] = await db()
		.select({ id: schema.tickets.id })
		.from(schema.tickets)
		.where(
			and(
				eq(schema.tickets.orderId, orderId),
				eq(schema.tickets.eventId, eventId),
				eq(schema.tickets.status, 'valid')
			)
		);
	if (!ticket) throw notFound();
	await mailTicket(ticket.id, origin);
	await logActivity(db(), { eventId, actorId: who.id, action: 'ticket.resent', data: { orderId } });
}
