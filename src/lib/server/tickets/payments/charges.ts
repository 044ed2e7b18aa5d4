import { and, eq } from 'drizzle-orm';
import { m } from '$lib/paraglide/messages';
import { logActivity } from '../../core/activity';
import { config } from '../../core/config';
import { sendMail } from '../../core/mail';
import { db, schema, type Tx } from '../../db';
import { freeSeat, mailOffers } from '../waitlist';
import { stripe, type CheckoutSession } from './stripe';

// Money taken back outside the app: a refund made in the Stripe dashboard (charge.refunded) or a
// dispute the buyer's bank opened (charge.dispute.created). Either voids the ticket and gives
// the seat to the waiting list, and the organisers are told. Like the Checkout events, the event
// is only a trigger: the charge or dispute is read again from Stripe, the event id is recorded
// in the transaction that changes the order, and only a paid order moves.

export type ChargeOutcome = 'duplicate' | 'ignored' | 'unchanged' | 'refunded' | 'disputed';

const intentId = (x: string | { id: string } | null | undefined) =>
	typeof x === 'string' ? x : (x?.id ?? null);

/** What Stripe says now about the charge (or the dispute's charge) behind the event. */
export async function readChargeEvent(
	type: 'charge.refunded' | 'charge.dispute.created',
	objectId: string
): Promise<{ paymentIntent: string | null; outcome: 'refunded' | 'disputed' | null }> {
	if (type === 'charge.refunded') {
		const charge = await stripe().charges.retrieve(objectId);
		// A partial refund leaves the ticket as it is; only a full one voids it.
		return {
			paymentIntent: intentId(charge.payment_intent),
			outcome: charge.refunded ? 'refunded' : null
		};
	}
	const dispute = await stripe().disputes.retrieve(objectId);
	let paymentIntent = intentId(dispute.payment_intent);
	if (!paymentIntent) {
		const charge = await stripe().charges.retrieve(intentId(dispute.charge)!);
		paymentIntent = intentId(charge.payment_intent);
	}
	return { paymentIntent, outcome: 'disputed' };
}

/**
 * The order a payment intent paid for. If its Checkout completion has not been handled yet (the
 * events came out of order), the session is found through Stripe and settled first, so the
 * ticket exists before it is voided and a later completion event changes nothing.
 */
async function orderFor(
	paymentIntent: string,
	settle: (session: CheckoutSession) => Promise<unknown>
): Promise<number | null> {
	const o = schema.orders;
	const known = async () => {
		const [row] = await db()
			.select({ id: o.id })
			.from(o)
			.where(eq(o.stripePaymentIntent, paymentIntent));
		return row?.id ?? null;
	};
	const found = await known();
	if (found) return found;
	const sessions = await stripe().checkout.sessions.list({
		payment_intent: paymentIntent,
		limit: 1
	});
	const session = sessions.data[0];
	if (!session) return null;
	const [order] = await db().select({ id: o.id }).from(o).where(eq(o.stripeSessionId, session.id));
	if (!order) return null;
	await settle(session);
	return order.id;
}

export async function settleCharge(
	stripeEventId: string,
	type: 'charge.refunded' | 'charge.dispute.created',
	objectId: string,
	settle: (session: CheckoutSession) => Promise<unknown>
): Promise<ChargeOutcome> {
	const { paymentIntent, outcome } = await readChargeEvent(type, objectId);
	const orderId = paymentIntent ? await orderFor(paymentIntent, settle) : null;
	const o = schema.orders;
	const result = await db().transaction(async (tx) => {
		const [fresh] = await tx
			.insert(schema.stripeEvents)
			.values({ id: stripeEventId, type })
			.onConflictDoNothing()
			.returning();
		if (!fresh) return { outcome: 'duplicate' as const };
		if (!orderId) return { outcome: 'ignored' as const };
		const [order] = await tx.select().from(o).where(eq(o.id, orderId)).for('update');
		if (!outcome) {
			await logActivity(tx, {
				eventId: order.eventId,
				action: 'order.partly_refunded',
				data: { orderId: order.id }
			});
			return { outcome: 'unchanged' as const };
		}
		if (order.status !== 'paid') return { outcome: 'unchanged' as const };
		return voidOrder(tx, order, outcome);
	});
	if ('offers' in result) {
		await mailOffers(result.offers);
		await tellOrganisers(result.eventId, result.orderId, result.outcome, result.name);
	}
	return result.outcome;
}

async function voidOrder(
	tx: Tx,
	order: typeof schema.orders.$inferSelect,
	outcome: 'refunded' | 'disputed'
) {
	await tx
		.update(schema.orders)
		.set({ status: outcome, holdsSeat: false, cancelledAt: new Date() })
		.where(and(eq(schema.orders.id, order.id), eq(schema.orders.status, 'paid')));
	await tx
		.update(schema.tickets)
		.set({ status: 'cancelled' })
		.where(eq(schema.tickets.orderId, order.id));
	await logActivity(tx, {
		eventId: order.eventId,
		action: outcome === 'refunded' ? 'order.refunded_at_stripe' : 'order.disputed',
		data: { orderId: order.id }
	});
	const offers = order.holdsSeat ? await freeSeat(tx, order.eventId, order.ticketTypeId) : [];
	return { outcome, offers, eventId: order.eventId, orderId: order.id, name: order.attendeeName };
}

async function tellOrganisers(
	eventId: number,
	orderId: number,
	outcome: 'refunded' | 'disputed',
	name: string
) {
	const [event] = await db().select().from(schema.events).where(eq(schema.events.id, eventId));
	const organisers = await db()
		.select({ email: schema.users.email })
		.from(schema.eventRoles)
		.innerJoin(schema.users, eq(schema.users.id, schema.eventRoles.userId))
		.where(and(eq(schema.eventRoles.eventId, eventId), eq(schema.eventRoles.role, 'organiser')));
	const url = `${config.origin}/manage/${event.slug}/orders`;
	const args = { event: event.name, name, order: String(orderId), url };
	for (const { email } of organisers) {
		await sendMail({
			to: email,
			subject:
				outcome === 'refunded'
					? m.mail_stripe_refund_subject(args)
					: m.mail_stripe_dispute_subject(args),
			text:
				outcome === 'refunded' ? m.mail_stripe_refund_text(args) : m.mail_stripe_dispute_text(args)
		});
	}
}
