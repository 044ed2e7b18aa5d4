import { and, eq, or } from 'drizzle-orm';
import { m } from '$lib/paraglide/messages';
import { zonedToInstant } from '$lib/time';
import { logActivity } from '../core/activity';
import { requireEventPermission, requireUser, type Actor } from '../auth/guards';
import { db, schema } from '../db';
import { DomainError, forbidden, notFound } from '../core/errors';
import { releaseHold } from './orders';
import { refundOrder } from './payments/webhook';
import { freeSeat, mailOffers } from './waitlist';

/**
 * Cancel a paid order: the ticket stops working, the seat goes to the waiting list, and the money
 * is refunded when `refund` says so (the refund itself runs after the commit, and is retried).
 */
async function cancelPaidOrder(orderId: number, actorId: number, refund: boolean) {
	const o = schema.orders;
	const offers = await db().transaction(async (tx) => {
		const [order] = await tx
			.update(o)
			.set({
				status: refund ? 'refund_pending' : 'cancelled',
				holdsSeat: false,
				cancelledAt: new Date()
			})
			.where(and(eq(o.id, orderId), eq(o.status, 'paid')))
			.returning();
		if (!order) throw new DomainError('conflict', m.error_order_not_cancellable());
		if (order.amountCents === 0 || !refund) {
			await tx.update(o).set({ status: 'cancelled' }).where(eq(o.id, orderId));
		}
		await tx
			.update(schema.tickets)
			.set({ status: 'cancelled' })
			.where(eq(schema.tickets.orderId, orderId));
		await logActivity(tx, {
			eventId: order.eventId,
			actorId,
			action: 'order.cancelled',
			data: { orderId, refund }
		});
		return freeSeat(tx, order.eventId, order.ticketTypeId);
	});
	await mailOffers(offers);
	if (refund) await refundOrder(orderId);
}

/** An organiser cancels any order of their event: a hold is released, a sale refunded. */
export async function cancelOrder(
	actor: Actor,
	eventId: number,
	orderId: number,
	refund = true
): Promise<void> {
	const who = await requireEventPermission(actor, eventId, 'orders.manage');
	const [order] = await db()
		.select()
		.from(schema.orders)
		.where(and(eq(schema.orders.id, orderId), eq(schema.orders.eventId, eventId)));
	if (!order) throw notFound();
	if (order.status === 'held') {
		await releaseHold(order.id, 'cancelled');
		return;
	}
	await cancelPaidOrder(order.id, who.id, refund);
}

/**
 * The ticket holder (or whoever bought it) gives it back, until the organiser's deadline or,
 * without one, until the event starts. Refunds follow the event's refund policy.
 */
export async function cancelOwnTicket(
	actor: Actor,
	ticketId: number,
	now = new Date()
): Promise<void> {
	requireUser(actor);
	const [row] = await db()
		.select({
			ticket: schema.tickets,
			order: schema.orders,
			settings: schema.ticketing,
			event: schema.events
		})
		.from(schema.tickets)
		.innerJoin(schema.orders, eq(schema.orders.id, schema.tickets.orderId))
		.innerJoin(schema.ticketing, eq(schema.ticketing.eventId, schema.tickets.eventId))
		.innerJoin(schema.events, eq(schema.events.id, schema.tickets.eventId))
		.where(
			and(
				eq(schema.tickets.id, ticketId),
				or(eq(schema.tickets.holderId, actor.id), eq(schema.orders.buyerId, actor.id))
			)
		);
	if (!row) throw forbidden();
	const deadline =
		row.settings.cancelUntil ?? zonedToInstant(row.event.startDate, '00:00', row.event.timeZone);
	if (now >= deadline) throw new DomainError('conflict', m.error_cancel_deadline_passed());
	if (row.ticket.checkedInAt) throw new DomainError('conflict', m.error_order_not_cancellable());
	await cancelPaidOrder(row.order.id, actor.id, row.settings.refundPolicy === 'full');
}

/** Orders an attendee can see: the ones they bought or hold a ticket from. */
export async function ordersOf(actor: Actor, eventId: number) {
	requireUser(actor);
	return db()
		.select({ order: schema.orders, ticket: schema.tickets })
		.from(schema.orders)
		.leftJoin(schema.tickets, eq(schema.tickets.orderId, schema.orders.id))
		.where(
			and(
				eq(schema.orders.eventId, eventId),
				or(eq(schema.orders.buyerId, actor.id), eq(schema.tickets.holderId, actor.id))
			)
		);
}
