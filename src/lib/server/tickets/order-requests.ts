import { and, eq, gt, lte, sql } from 'drizzle-orm';
import { m } from '$lib/paraglide/messages';
import type { OrderInput } from '$lib/schemas/tickets';
import { logActivity } from '../core/activity';
import { randomString, sha256 } from '../auth/tokens';
import { db, schema } from '../db';
import { DomainError, invalid } from '../core/errors';
import { mayMail, sendMail, mailTo } from '../core/mail';
import { looksFull } from './seats';
import type { TicketType } from './ticketing';
import { joinWaitingList } from './waitlist';

// Someone not signed in orders by typing an address; the ticket is issued (or the payment
// starts) only once they open the link mailed there. Until then nothing is held: no seat, so
// orders nobody confirms cannot lock up the event, and no account, so typing someone else's
// address makes nothing in their name. Seats go to those who confirm first.

export type OrderRequest = typeof schema.orderRequests.$inferSelect;

/** How long the mailed link works; a request nobody confirms is deleted after it. */
export const REQUEST_HOURS = 24;

/**
 * Keep the order and mail its link. One request per address and event: ordering again replaces
 * the earlier request and link, so an inbox holds one live link per event. Mails to one address
 * are capped per hour; past the cap nothing changes and the earlier link still works.
 */
export async function requestOrder(
	eventId: number,
	type: TicketType,
	input: OrderInput,
	amountCents: number,
	origin: string
): Promise<{ kind: 'confirm'; email: string; paid: boolean }> {
	if (!(await mayMail(input.attendeeEmail))) throw invalid({ attendeeEmail: m.error_mail_cap() });
	const [event] = await db()
		.select({ name: schema.events.name, slug: schema.events.slug })
		.from(schema.events)
		.where(eq(schema.events.id, eventId));
	const token = randomString(40);
	const r = schema.orderRequests;
	const fields = {
		ticketTypeId: type.id,
		attendeeName: input.attendeeName,
		answers: { dietary: input.dietary, access: input.access, publicName: input.publicName },
		amountCents,
		accessCode: input.accessCode,
		tokenHash: sha256(token),
		expiresAt: new Date(Date.now() + REQUEST_HOURS * 3_600_000)
	};
	await db().transaction(async (tx) => {
		await tx
			.insert(r)
			.values({ eventId, attendeeEmail: input.attendeeEmail, ...fields })
			.onConflictDoUpdate({
				target: [r.eventId, r.attendeeEmail],
				set: { ...fields, createdAt: sql`now()` }
			});
		await logActivity(tx, { eventId, action: 'order.requested', data: { ticketTypeId: type.id } });
	});
	const text = amountCents > 0 ? m.mail_confirm_order_paid_text : m.mail_confirm_order_text;
	await sendMail(
		await mailTo(input.attendeeEmail, () => ({
			subject: m.mail_confirm_order_subject({ event: event.name }),
			text: text({
				name: input.attendeeName,
				event: event.name,
				type: type.name,
				url: `${origin}/e/${event.slug}/tickets/confirm/${token}`,
				hours: REQUEST_HOURS
			})
		}))
	);
	return { kind: 'confirm', email: input.attendeeEmail, paid: amountCents > 0 };
}

const live = (eventId: number, token: string) => {
	const r = schema.orderRequests;
	return and(eq(r.eventId, eventId), eq(r.tokenHash, sha256(token)), gt(r.expiresAt, new Date()));
};

/** What a link asks for, without using it (mail scanners open links too); null if it is dead. */
export async function describeOrderRequest(eventId: number, token: string) {
	const r = schema.orderRequests;
	const tt = schema.ticketTypes;
	const [row] = await db()
		.select({
			attendeeName: r.attendeeName,
			attendeeEmail: r.attendeeEmail,
			amountCents: r.amountCents,
			typeName: tt.name,
			type: { seatsTaken: tt.seatsTaken, quota: tt.quota },
			event: { seatsTaken: schema.ticketing.seatsTaken, capacity: schema.events.capacity },
			currency: schema.ticketing.currency,
			expiresAt: r.expiresAt
		})
		.from(r)
		.innerJoin(tt, eq(tt.id, r.ticketTypeId))
		.innerJoin(schema.ticketing, eq(schema.ticketing.eventId, r.eventId))
		.innerJoin(schema.events, eq(schema.events.id, r.eventId))
		.where(live(eventId, token));
	if (!row) return null;
	const { type, event, ...asked } = row;
	return { ...asked, soldOut: looksFull(event, type) };
}

const asOrder = (row: OrderRequest): OrderInput => ({
	ticketTypeId: row.ticketTypeId,
	attendeeName: row.attendeeName,
	attendeeEmail: row.attendeeEmail,
	...row.answers,
	amount: row.amountCents,
	accessCode: row.accessCode,
	offer: ''
});

/** Use a link: one DELETE, so two clicks at once confirm once. The order it held, or null. */
export async function takeOrderRequest(eventId: number, token: string): Promise<OrderInput | null> {
	const [row] = await db().delete(schema.orderRequests).where(live(eventId, token)).returning();
	return row ? asOrder(row) : null;
}

/** The event filled up before they confirmed: the link puts them on the waiting list instead. */
export async function waitByLink(eventId: number, token: string): Promise<string> {
	const [row] = await db().select().from(schema.orderRequests).where(live(eventId, token));
	if (!row) throw new DomainError('not_found', m.error_confirm_link_invalid());
	const input = asOrder(row);
	await joinWaitingList(null, eventId, {
		ticketTypeId: input.ticketTypeId,
		name: input.attendeeName,
		email: input.attendeeEmail,
		accessCode: input.accessCode
	});
	await takeOrderRequest(eventId, token);
	return input.attendeeEmail;
}

/** Requests nobody confirmed in time go, with the address and answers they hold. */
export async function dropLapsedRequests(now = new Date()): Promise<number> {
	const r = schema.orderRequests;
	const gone = await db().delete(r).where(lte(r.expiresAt, now)).returning({ id: r.id });
	return gone.length;
}
