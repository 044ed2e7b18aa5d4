import { and, asc, eq, or } from 'drizzle-orm';
import QRCode from 'qrcode';
import { m } from '$lib/paraglide/messages';
import { requireUser, type Actor } from '../auth/guards';
import { db, schema } from '../db';
import { DomainError } from '../core/errors';
import { releaseHold } from './orders';
import { stripe } from './payments/stripe';

// A ticket and its order as the people they belong to see them: the order page Stripe sends
// the buyer back to, the ticket page with its QR code, "My tickets".

/** An order as its buyer sees it (the page Stripe sends them back to). */
export async function orderForBuyer(actor: Actor, eventId: number, orderId: number) {
	if (!actor) throw new DomainError('unauthenticated', m.error_sign_in_to_see());
	const o = schema.orders;
	const [row] = await db()
		.select({ order: o, typeName: schema.ticketTypes.name, ticketId: schema.tickets.id })
		.from(o)
		.innerJoin(schema.ticketTypes, eq(schema.ticketTypes.id, o.ticketTypeId))
		.leftJoin(schema.tickets, eq(schema.tickets.orderId, o.id))
		.where(and(eq(o.id, orderId), eq(o.eventId, eventId), eq(o.buyerId, actor.id)));
	if (!row) throw new DomainError('not_found', m.error_order_not_found());
	return row;
}

/** The buyer gives up at Stripe's page: the session is closed so it cannot be paid later. */
export async function cancelHeldOrder(
	actor: Actor,
	eventId: number,
	orderId: number
): Promise<void> {
	const { order } = await orderForBuyer(actor, eventId, orderId);
	if (order.status !== 'held') return;
	if (order.stripeSessionId) {
		try {
			await stripe().checkout.sessions.expire(order.stripeSessionId);
		} catch {
			// Already paid or expired: the webhook or the sweeper settles the order.
			return;
		}
	}
	await releaseHold(order.id, 'cancelled');
}

/** A ticket as its holder (or the person who bought it) sees it. */
export async function ticketForHolder(actor: Actor, eventId: number, ticketId: number) {
	if (!actor) throw new DomainError('unauthenticated', m.error_sign_in_to_see());
	const t = schema.tickets;
	const [row] = await db()
		.select({ ticket: t, order: schema.orders, typeName: schema.ticketTypes.name })
		.from(t)
		.innerJoin(schema.orders, eq(schema.orders.id, t.orderId))
		.innerJoin(schema.ticketTypes, eq(schema.ticketTypes.id, t.ticketTypeId))
		.where(
			and(
				eq(t.id, ticketId),
				eq(t.eventId, eventId),
				or(eq(t.holderId, actor.id), eq(schema.orders.buyerId, actor.id))
			)
		);
	if (!row) throw new DomainError('not_found', m.error_ticket_not_found());
	return row;
}

/** The check-in URL a ticket's QR code carries: useless without the code, and for any other event. */
export function checkInUrl(origin: string, eventSlug: string, code: string): string {
	return `${origin}/manage/${eventSlug}/checkin?code=${code}`;
}

export async function ticketQrSvg(url: string): Promise<string> {
	return QRCode.toString(url, { type: 'svg', errorCorrectionLevel: 'M', margin: 2 });
}

/** Every ticket a person holds or bought, across events, soonest event first ("My tickets"). */
export async function ticketsOf(actor: Actor) {
	requireUser(actor);
	const t = schema.tickets;
	const e = schema.events;
	return db()
		.select({
			ticket: { id: t.id, name: t.name, status: t.status, checkedInAt: t.checkedInAt },
			typeName: schema.ticketTypes.name,
			event: {
				name: e.name,
				slug: e.slug,
				startDate: e.startDate,
				endDate: e.endDate,
				venue: e.venue
			}
		})
		.from(t)
		.innerJoin(schema.orders, eq(schema.orders.id, t.orderId))
		.innerJoin(schema.ticketTypes, eq(schema.ticketTypes.id, t.ticketTypeId))
		.innerJoin(e, eq(e.id, t.eventId))
		.where(or(eq(t.holderId, actor.id), eq(schema.orders.buyerId, actor.id)))
		.orderBy(asc(e.startDate), asc(t.id));
}
