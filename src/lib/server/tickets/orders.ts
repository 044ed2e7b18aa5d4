import { and, eq } from 'drizzle-orm';
import { m } from '$lib/paraglide/messages';
import type { OrderInput } from '$lib/schemas/tickets';
import { logActivity } from '../core/activity';
import type { Actor } from '../auth/guards';
import { enforce, LIMITS } from '../auth/rate-limit';
import { randomString } from '../auth/tokens';
import { config } from '../core/config';
import { live } from '../live/hub';
import { db, schema, type Tx } from '../db';
import { DomainError, invalid, isDomainError } from '../core/errors';
import QRCode from 'qrcode';
import { eventCalendar } from '../core/calendar';
import { mailHtml } from '../core/mail-html';
import { mailTo, sendMail } from '../core/mail';
import { listSchedule } from '../events/schedule';
import { findOrCreateUser, requestSignInLink } from '../people/users';
import { describeOrderRequest, requestOrder, takeOrderRequest } from './order-requests';
import { stripe, stripeEnabled } from './payments/stripe';
import { atLimit, limitMessage, refuseOverLimit, type Person } from './per-person';
import { lockSeats, looksFull, takeSeat } from './seats';
import type { TicketType } from './ticketing';
import { checkInUrl } from './tickets';
import { claimOffer, freeSeat, mailOffers } from './waitlist';
import { log } from '../core/log';

export type Order = typeof schema.orders.$inferSelect;
export type Ticket = typeof schema.tickets.$inferSelect;

/** Stripe lets a Checkout Session live 30 minutes at the least; the hold outlives it a little. */
export const CHECKOUT_MINUTES = 31;
const HOLD_GRACE_MS = 5 * 60_000;

export type StartResult =
	| { kind: 'ticket'; order: Order; ticket: Ticket }
	| { kind: 'checkout'; order: Order; url: string }
	/** Someone not signed in: a link to confirm the order went to this address. */
	| { kind: 'confirm'; email: string; paid: boolean }
	| { kind: 'sold_out' };

/** What the buyer must pay for this type, or the reason the amount is refused. */
function amountFor(type: TicketType, offered: number): number {
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

interface Checked {
	type: TicketType;
	currency: string;
	amount: number;
	/** A quick look, without a lock: in a rush most buyers find it full. */
	looksFull: boolean;
}

/** The ticket type as this order may buy it: of this event, unlocked, on sale, a fair amount. */
async function checkOrder(eventId: number, input: OrderInput): Promise<Checked> {
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
	const full = looksFull({ seatsTaken: settings.seatsTaken, capacity: found.capacity }, type);
	return { type, currency: settings.currency, amount, looksFull: full };
}

/**
 * The order form, as every page that has one sends it: counted against the client's and the
 * address's order limits (in the database, so every app instance shares them), then started.
 */
export async function orderTicket(
	actor: Actor,
	eventId: number,
	input: OrderInput,
	from: { origin: string; client: string }
): Promise<StartResult> {
	await enforce(
		[
			[`order:ip:${from.client}`, LIMITS.orderPerIp],
			[`order:email:${input.attendeeEmail}`, LIMITS.orderPerEmail]
		],
		m.error_orders_rate_limited()
	);
	return startOrder(actor, eventId, input, from.origin);
}

/**
 * Start buying one ticket. Someone signed in (or holding a waiting-list offer, whose link came
 * by mail) gets a seat at once: the ticket for a free type, a held seat and a Stripe Checkout
 * Session for a paid one. Anyone else is sent a link to confirm their address first.
 */
export async function startOrder(
	actor: Actor,
	eventId: number,
	input: OrderInput,
	origin: string
): Promise<StartResult> {
	const checked = await checkOrder(eventId, input);
	if (!input.offer && checked.looksFull) return { kind: 'sold_out' };
	if (!actor && !input.offer) {
		return requestOrder(eventId, checked.type, input, checked.amount, origin);
	}
	// Told at once, before an account or a seat is touched; placeOrder checks again under the lock.
	if (actor && (await atLimit(eventId, checked.type.perPerson, personOf(actor.id, input)))) {
		throw invalid({ attendeeEmail: limitMessage(checked.type.perPerson) });
	}
	const { result } = await placeOrder(actor, eventId, checked, input, origin);
	// A waiting-list claim without an account: a link to sign in and see the ticket. Past the
	// hourly cap of mails to the address it stays unsent; the ticket itself was mailed.
	if (!actor && result.kind === 'ticket') {
		await requestSignInLink(input.attendeeEmail, origin).catch((e) => {
			if (!isDomainError(e)) throw e;
		});
	}
	return result;
}

/**
 * Use a mailed confirmation link: the order it holds is placed for the address's owner (whose
 * account is made now, if there is none). Returns who to sign in, with the ticket or checkout.
 */
export async function confirmOrder(
	eventId: number,
	token: string,
	origin: string
): Promise<{ result: StartResult; holderId: number | null }> {
	// Full already: the link stays good, for joining the waiting list instead.
	const asked = await describeOrderRequest(eventId, token);
	if (asked?.soldOut) return { result: { kind: 'sold_out' }, holderId: null };
	const input = await takeOrderRequest(eventId, token);
	if (!input) throw new DomainError('not_found', m.error_confirm_link_invalid());
	const checked = await checkOrder(eventId, input);
	if (checked.looksFull) return { result: { kind: 'sold_out' }, holderId: null };
	return placeOrder(null, eventId, checked, input, origin);
}

const personOf = (buyerId: number, input: OrderInput): Person => ({
	buyerId,
	email: input.attendeeEmail.toLowerCase()
});

/** Take the seat (or the offer's), within the person's limit; then the ticket or the checkout. */
async function placeOrder(
	actor: Actor,
	eventId: number,
	{ type, currency, amount }: Checked,
	input: OrderInput,
	origin: string
): Promise<{ result: StartResult; holderId: number }> {
	const holder = await findOrCreateUser(input.attendeeEmail, input.attendeeName);
	const buyerId = actor?.id ?? holder.user.id;
	const now = new Date();
	const holdExpiresAt = new Date(now.getTime() + CHECKOUT_MINUTES * 60_000 + HOLD_GRACE_MS);

	const placed = await db().transaction(async (tx) => {
		let waitingId: number | null = null;
		if (input.offer) {
			waitingId = await claimOffer(tx, eventId, input.offer, type.id);
			await lockSeats(tx, eventId);
		} else if (!(await takeSeat(tx, eventId, type.id))) return null;
		await refuseOverLimit(tx, eventId, type.perPerson, personOf(buyerId, input));
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
				currency,
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
	const holderId = holder.user.id;
	if (!placed) return { result: { kind: 'sold_out' }, holderId };
	if (placed.ticket) {
		await mailTicket(placed.ticket.id, origin);
		return { result: { kind: 'ticket', order: placed.order, ticket: placed.ticket }, holderId };
	}
	return { result: await openCheckout(placed.order, type.name, origin), holderId };
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
		log.error({ err: e, orderId: order.id }, 'checkout could not be started');
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
		// A hold became a sale: the seat count is the same, what it is made of is not.
		await live().publish(order.eventId, 'seats', {}, tx);
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
	// The QR the door scans (the same as on the ticket page) shown inside the mail, and the
	// event's days as a calendar file.
	const qr = await QRCode.toBuffer(checkInUrl(origin, event.slug, ticket.code), {
		type: 'png',
		errorCorrectionLevel: 'M',
		margin: 2,
		width: 240
	});
	const ics = eventCalendar(event, await listSchedule(event.id), origin);
	await sendMail(
		await mailTo(ticket.email, () => {
			const subject = m.mail_ticket_subject({ event: event.name });
			const text = m.mail_ticket_text({
				name: ticket.name,
				event: event.name,
				url: `${origin}/e/${event.slug}/tickets/${ticket.id}`,
				code: ticket.code,
				signin: `${origin}/signin`
			});
			const alt = m.mail_ticket_qr_alt({ code: ticket.code });
			return {
				subject,
				text,
				html: mailHtml(
					subject,
					text,
					`<p><img src="cid:ticket-qr" width="240" height="240" alt="${alt}"></p>`
				),
				attachments: [
					{
						filename: 'ticket-qr.png',
						contentType: 'image/png',
						content: qr.toString('base64'),
						cid: 'ticket-qr'
					},
					{
						filename: `${event.slug}.ics`,
						contentType: 'text/calendar; charset=utf-8',
						content: Buffer.from(ics).toString('base64')
					}
				]
			};
		})
	);
}
