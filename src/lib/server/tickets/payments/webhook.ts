import { eq } from 'drizzle-orm';
import { m } from '$lib/paraglide/messages';
import { logActivity } from '../../core/activity';
import { config } from '../../core/config';
import { db, schema, type Tx } from '../../db';
import { sendMail, mailTo } from '../../core/mail';
import { issueTicket, mailTicket, releaseHold, type Order } from '../orders';
import { takeSeat } from '../seats';
import { stripe, webhookSecret, type CheckoutSession, type StripeEvent } from './stripe';
import { log } from '../../core/log';
import { settleCharge, type ChargeOutcome } from './charges';

export class BadSignature extends Error {}

/** Verify a webhook's signature on the raw body; a bad or stale one is refused (400). */
export function verifyWebhook(rawBody: string, signature: string | null): StripeEvent {
	try {
		return stripe().webhooks.constructEvent(rawBody, signature ?? '', webhookSecret());
	} catch (e) {
		throw new BadSignature(e instanceof Error ? e.message : String(e));
	}
}

const HANDLED = new Set([
	'checkout.session.completed',
	'checkout.session.async_payment_succeeded',
	'checkout.session.async_payment_failed',
	'checkout.session.expired'
]);

export type WebhookOutcome =
	'ignored' | 'duplicate' | 'paid' | 'refund' | 'released' | 'unchanged' | ChargeOutcome;

/**
 * Handle a verified Stripe event. The event is only a trigger: the session is read again from
 * Stripe, the order moves only from states that allow it, and the event id is recorded in the
 * same transaction as the change, so a repeat or an out-of-order delivery changes nothing twice.
 */
export async function handleStripeEvent(event: StripeEvent): Promise<WebhookOutcome> {
	if (event.type === 'charge.refunded' || event.type === 'charge.dispute.created') {
		const objectId = (event.data.object as { id: string }).id;
		return settleCharge(event.id, event.type, objectId, (session) =>
			settleSession(session, null, 'checkout.session.completed')
		);
	}
	if (!HANDLED.has(event.type)) return 'ignored';
	const sessionId = (event.data.object as { id: string }).id;
	const session = await stripe().checkout.sessions.retrieve(sessionId);
	return settleSession(session, event.id, event.type);
}

/** Bring an order in line with its Checkout Session (also used by the hold sweeper). */
export async function settleSession(
	session: CheckoutSession,
	eventId: string | null,
	type: string
): Promise<WebhookOutcome> {
	const o = schema.orders;
	const result = await db().transaction(async (tx) => {
		if (eventId) {
			const [fresh] = await tx
				.insert(schema.stripeEvents)
				.values({ id: eventId, type })
				.onConflictDoNothing()
				.returning();
			if (!fresh) return { outcome: 'duplicate' as const };
		}
		const [order] = await tx
			.select()
			.from(o)
			.where(eq(o.stripeSessionId, session.id))
			.for('update');
		if (!order) return { outcome: 'ignored' as const };
		if (session.payment_status === 'paid' || session.payment_status === 'no_payment_required') {
			return markPaid(tx, order, session);
		}
		if (session.status === 'expired' || type === 'checkout.session.async_payment_failed') {
			return {
				outcome: order.status === 'held' ? ('released' as const) : ('unchanged' as const),
				release: order.id
			};
		}
		return { outcome: 'unchanged' as const };
	});
	if ('release' in result && result.release) await releaseHold(result.release, 'expired');
	if ('ticketId' in result && result.ticketId) await mailTicket(result.ticketId);
	if (result.outcome === 'refund' && 'order' in result) await refundOrder(result.order.id);
	return result.outcome;
}

/**
 * Money arrived. From a hold: issue the ticket. From a lapsed hold: take a seat again if one is
 * free, otherwise mark the order for refund — never oversell. A paid order stays as it is.
 */
async function markPaid(tx: Tx, order: Order, session: CheckoutSession) {
	const paymentIntent =
		typeof session.payment_intent === 'string'
			? session.payment_intent
			: (session.payment_intent?.id ?? null);
	if (order.status === 'held' || order.status === 'expired' || order.status === 'cancelled') {
		const seat = order.holdsSeat || (await takeSeat(tx, order.eventId, order.ticketTypeId));
		const status = seat ? 'paid' : 'refund_pending';
		const [updated] = await tx
			.update(schema.orders)
			.set({ status, holdsSeat: seat, paidAt: new Date(), stripePaymentIntent: paymentIntent })
			.where(eq(schema.orders.id, order.id))
			.returning();
		await logActivity(tx, {
			eventId: order.eventId,
			action: seat ? 'order.paid' : 'order.refund_pending',
			data: { orderId: order.id }
		});
		if (!seat) return { outcome: 'refund' as const, order: updated };
		const [holder] = await tx
			.select({ id: schema.users.id })
			.from(schema.users)
			.where(eq(schema.users.email, order.attendeeEmail));
		const ticket = await issueTicket(tx, updated, holder?.id);
		return { outcome: 'paid' as const, ticketId: ticket.id };
	}
	return { outcome: 'unchanged' as const };
}

/** Refund a paid order through Stripe; the idempotency key makes retries safe. */
export async function refundOrder(orderId: number): Promise<boolean> {
	const o = schema.orders;
	const [order] = await db().select().from(o).where(eq(o.id, orderId));
	if (!order || order.status !== 'refund_pending') return false;
	try {
		if (order.amountCents > 0 && order.stripePaymentIntent) {
			await stripe().refunds.create(
				{ payment_intent: order.stripePaymentIntent },
				{ idempotencyKey: `refund-order-${order.id}` }
			);
		}
	} catch (e) {
		log.error({ err: e, orderId: order.id }, 'refund failed; the sweeper retries');
		return false;
	}
	await db().update(o).set({ status: 'refunded' }).where(eq(o.id, order.id));
	await logActivity(db(), {
		eventId: order.eventId,
		action: 'order.refunded',
		data: { orderId: order.id }
	});
	const [event] = await db()
		.select()
		.from(schema.events)
		.where(eq(schema.events.id, order.eventId));
	await sendMail(
		await mailTo(order.attendeeEmail, () => ({
			subject: m.mail_refund_subject({ event: event.name }),
			text: m.mail_refund_text({
				name: order.attendeeName,
				event: event.name,
				url: `${config.origin}/e/${event.slug}`
			})
		}))
	);
	return true;
}
