import { and, asc, eq, or } from 'drizzle-orm';
import QRCode from 'qrcode';
import { m } from '$lib/paraglide/messages';
import type { OrderInput } from '$lib/schemas/tickets';
import { logActivity } from '../core/activity';
import { requireUser, type Actor } from '../auth/guards';
import { randomString } from '../auth/tokens';
import { config } from '../core/config';
import { db, schema, type Tx } from '../db';
import { DomainError, invalid } from '../core/errors';
import { sendMail } from '../core/mail';
import { stripe, stripeEnabled } from './payments/stripe';
import { takeSeat } from './seats';
import { findOrCreateUser, requestSignInLink } from '../people/users';
import { claimOffer, freeSeat, mailOffers } from './waitlist';

export type Order = typeof schema.orders.$inferSelect;
export type Ticket = typeof schema.tickets.$inferSelect;

/** Stripe lets a Checkout Session live 30 minutes at the least; the hold outlives it a little. */
export const CHECKOUT_MINUTES = 31;
const HOLD_GRACE_MS = 5 * 60_000;

export type StartResult =
	| { kind: 'ticket'; order: Order; ticket: Ticket }
	| { kind: 'checkout'; order: Order; url: string }
	| { kind: 'sold_out' };

/** What the buyer must pay for this type, or the reason the amount is refused. */
function amountFor(type: typeof schema.ticketTypes.$inferSelect, offered: number): number {
	if (type.pricing === 'free') return 0;
	if (type.pricing === 'fixed') return type.priceCents;
	if (offered < type.minCents || offered > type.maxCents) {
		throw invalid({
			amount: m.error_amount_range({
				min: (type.minCents / 100).toFixed(2),
				max: (type.maxCents / 100).toFixed(2)
			})
		});
	}
	return offered;
}

/**
 * Start buying one ticket: hold a seat (or claim a waiting-list offer's seat), then either issue
 * the ticket at once (nothing to pay) or open a Stripe Checkout Session for the hold.
 */
export async function startOrder(
	actor: Actor,
	eventId: number,
	input: OrderInput,
	origin: string
): Promise<StartResult> {
	const tt = schema.ticketTypes;
	// One read for the type, the event's settings and its seat counter.
	const [found] = await db()
		.select({ type: tt, settings: schema.ticketing, capacity: schema.events.capacity })
		.from(tt)
		.innerJoin(schema.ticketing, eq(schema.ticketing.eventId, tt.eventId))
		.innerJoin(schema.events, eq(schema.events.id, tt.eventId))
		.where(and(eq(tt.id, input.ticketTypeId), eq(tt.eventId, eventId)));
	if (!found) throw invalid({ ticketTypeId: m.error_not_in_event() });
	const { type, settings } = found;
	// A waiting-list offer was made for this type already: its link stands in for the code.
	const unlocked = !type.accessCode || !!input.offer;
	if (!unlocked && type.accessCode!.toLowerCase() !== input.accessCode.toLowerCase()) {
		throw invalid({ accessCode: m.error_access_code_wrong() });
	}
	const now = new Date();
	if ((type.salesStart && now < type.salesStart) || (type.salesEnd && now >= type.salesEnd)) {
		throw invalid({ ticketTypeId: m.error_not_on_sale() });
	}
	const amount = amountFor(type, input.amount);
	if (amount > 0 && !stripeEnabled()) throw invalid({ ticketTypeId: m.error_payments_off() });
	// A quick look before any account or mail is made: in a rush most buyers find it full. The
	// guarded UPDATE below stays the only thing that decides who gets a seat.
	const looksFull =
		settings.seatsTaken >= found.capacity || (type.quota !== null && type.seatsTaken >= type.quota);
	if (!input.offer && looksFull) return { kind: 'sold_out' };

	const holder = await findOrCreateUser(input.attendeeEmail, input.attendeeName);
	const buyerId = actor?.id ?? holder.user.id;
	const holdExpiresAt = new Date(now.getTime() + CHECKOUT_MINUTES * 60_000 + HOLD_GRACE_MS);

	const placed = await db().transaction(async (tx) => {
		let waitingId: number | null = null;
		if (input.offer) waitingId = await claimOffer(tx, eventId, input.offer, type.id);
		else if (!(await takeSeat(tx, eventId, type.id))) return null;
		const [order] = await tx
			.insert(schema.orders)
			.values({
				eventId,
				ticketTypeId: type.id,
				buyerId,
				attendeeName: input.attendeeName,
				attendeeEmail: input.attendeeEmail,
				answers: { dietary: input.dietary, access: input.access, publicName: input.publicName },
				amountCents: amount,
				currency: settings.currency,
				status: amount === 0 ? 'paid' : 'held',
				holdExpiresAt: amount === 0 ? null : holdExpiresAt,
				paidAt: amount === 0 ? now : null,
				waitingId
			})
			.returning();
		await logActivity(tx, {
			eventId,
			actorId: actor?.id,
			action: amount === 0 ? 'order.paid' : 'order.held',
			data: { orderId: order.id, amount }
		});
		const ticket = amount === 0 ? await issueTicket(tx, order, holder.user.id) : null;
		return { order, ticket };
	});
	if (!placed) return { kind: 'sold_out' };
	// Someone buying without an account gets one for the attendee address, and a link to it.
	if (!actor) await requestSignInLink(input.attendeeEmail, origin);
	if (placed.ticket) {
		await mailTicket(placed.ticket.id, origin);
		return { kind: 'ticket', order: placed.order, ticket: placed.ticket };
	}
	return openCheckout(placed.order, type.name, origin);
}

async function openCheckout(order: Order, typeName: string, origin: string): Promise<StartResult> {
	const [event] = await db()
		.select()
		.from(schema.events)
		.where(eq(schema.events.id, order.eventId));
	try {
		const session = await stripe().checkout.sessions.create(
			{
				mode: 'payment',
				customer_email: order.attendeeEmail,
				client_reference_id: String(order.id),
				metadata: { orderId: String(order.id), eventId: String(order.eventId) },
				line_items: [
					{
						quantity: 1,
						price_data: {
							currency: order.currency.toLowerCase(),
							unit_amount: order.amountCents,
							product_data: { name: `${event.name}: ${typeName}` }
						}
					}
				],
				expires_at: Math.floor(Date.now() / 1000) + CHECKOUT_MINUTES * 60,
				success_url: `${origin}/e/${event.slug}/orders/${order.id}?paid=1`,
				cancel_url: `${origin}/e/${event.slug}/orders/${order.id}?cancelled=1`
			},
			{ idempotencyKey: `checkout-order-${order.id}` }
		);
		const [saved] = await db()
			.update(schema.orders)
			.set({ stripeSessionId: session.id })
			.where(eq(schema.orders.id, order.id))
			.returning();
		return { kind: 'checkout', order: saved, url: session.url! };
	} catch (e) {
		console.error(`[payments] checkout for order ${order.id} failed`, e);
		await releaseHold(order.id, 'expired');
		throw new DomainError('conflict', m.error_checkout_failed());
	}
}

/** The one place tickets are made; the unique order id makes a repeat a no-op. */
export async function issueTicket(tx: Tx, order: Order, holderId?: number | null): Promise<Ticket> {
	const [ticket] = await tx
		.insert(schema.tickets)
		.values({
			orderId: order.id,
			eventId: order.eventId,
			ticketTypeId: order.ticketTypeId,
			holderId: holderId ?? null,
			name: order.attendeeName,
			email: order.attendeeEmail,
			code: randomString(20)
		})
		.onConflictDoNothing({ target: schema.tickets.orderId })
		.returning();
	if (ticket) {
		await logActivity(tx, {
			eventId: order.eventId,
			action: 'ticket.issued',
			data: { orderId: order.id, ticketId: ticket.id }
		});
		return ticket;
	}
	const [existing] = await tx
		.select()
		.from(schema.tickets)
		.where(eq(schema.tickets.orderId, order.id));
	return existing;
}

/** End a hold that was never paid; its seat goes to the waiting list first. */
export async function releaseHold(orderId: number, to: 'expired' | 'cancelled'): Promise<boolean> {
	const o = schema.orders;
	const offers = await db().transaction(async (tx) => {
		const [order] = await tx
			.update(o)
			.set({ status: to, holdsSeat: false, cancelledAt: new Date() })
			.where(and(eq(o.id, orderId), eq(o.status, 'held'), eq(o.holdsSeat, true)))
			.returning();
		if (!order) return null;
		await logActivity(tx, { eventId: order.eventId, action: `order.${to}`, data: { orderId } });
		return freeSeat(tx, order.eventId, order.ticketTypeId);
	});
	if (offers) await mailOffers(offers);
	return offers !== null;
}

export async function mailTicket(ticketId: number, origin = config.origin): Promise<void> {
	const [row] = await db()
		.select({ ticket: schema.tickets, event: schema.events })
		.from(schema.tickets)
		.innerJoin(schema.events, eq(schema.events.id, schema.tickets.eventId))
		.where(eq(schema.tickets.id, ticketId));
	const { ticket, event } = row;
	await sendMail({
		to: ticket.email,
		subject: m.mail_ticket_subject({ event: event.name }),
		text: m.mail_ticket_text({
			name: ticket.name,
			event: event.name,
			url: `${origin}/e/${event.slug}/tickets/${ticket.id}`,
			code: ticket.code,
			signin: `${origin}/signin`
		})
	});
}

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
