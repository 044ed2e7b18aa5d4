import { and, asc, eq, gt, lte } from 'drizzle-orm';
import { m } from '$lib/paraglide/messages';
import { logActivity } from '../core/activity';
import { requireEventPermission, type Actor } from '../auth/guards';
import { randomString, sha256 } from '../auth/tokens';
import { config } from '../core/config';
import { db, schema, type Tx } from '../db';
import { DomainError, invalid, notFound } from '../core/errors';
import { sendMail, mailTo } from '../core/mail';
import { giveBackSeat, takeSeat } from './seats';

export interface Offer {
	email: string;
	name: string;
	token: string;
	expiresAt: Date;
	eventId: number;
}

export async function joinWaitingList(
	actor: Actor,
	eventId: number,
	input: { ticketTypeId: number; name: string; email: string; accessCode?: string }
) {
	const w = schema.waitingList;
	return db().transaction(async (tx) => {
		const [type] = await tx
			.select({ id: schema.ticketTypes.id, accessCode: schema.ticketTypes.accessCode })
			.from(schema.ticketTypes)
			.where(
				and(eq(schema.ticketTypes.id, input.ticketTypeId), eq(schema.ticketTypes.eventId, eventId))
			);
		if (!type) throw invalid({ ticketTypeId: m.error_not_in_event() });
		const code = (input.accessCode ?? '').toLowerCase();
		if (type.accessCode && type.accessCode.toLowerCase() !== code) {
			throw invalid({ ticketTypeId: m.error_not_in_event() });
		}
		const [already] = await tx
			.select({ id: w.id })
			.from(w)
			.where(and(eq(w.ticketTypeId, type.id), eq(w.email, input.email), eq(w.status, 'waiting')));
		if (already) throw invalid({ email: m.error_already_waiting() });
		const [row] = await tx
			.insert(w)
			.values({
				eventId,
				ticketTypeId: type.id,
				userId: actor?.id ?? null,
				name: input.name,
				email: input.email
			})
			.returning();
		await logActivity(tx, {
			eventId,
			actorId: actor?.id,
			action: 'waiting_list.joined',
			data: { email: input.email }
		});
		return row;
	});
}

/**
 * Offer free seats to the people waiting, first come first served, each offer holding its seat
 * until it is claimed or expires. Runs inside the transaction that freed the seat, so a freed
 * seat goes to the queue before anyone else can take it.
 */
export async function offerFreedSeats(tx: Tx, eventId: number): Promise<Offer[]> {
	const [settings] = await tx
		.select()
		.from(schema.ticketing)
		.where(eq(schema.ticketing.eventId, eventId));
	const w = schema.waitingList;
	const queue = await tx
		.select()
		.from(w)
		.where(and(eq(w.eventId, eventId), eq(w.status, 'waiting')))
		.orderBy(asc(w.id))
		.limit(50)
		.for('update', { skipLocked: true });
	const offers: Offer[] = [];
	for (const person of queue) {
		if (!(await takeSeat(tx, eventId, person.ticketTypeId))) continue;
		const token = randomString(40);
		const expiresAt = new Date(Date.now() + settings.offerHours * 3_600_000);
		await tx
			.update(w)
			.set({ status: 'offered', offerTokenHash: sha256(token), offerExpiresAt: expiresAt })
			.where(eq(w.id, person.id));
		await logActivity(tx, {
			eventId,
			action: 'waiting_list.offered',
			data: { email: person.email }
		});
		offers.push({ email: person.email, name: person.name, token, expiresAt, eventId });
	}
	return offers;
}

/** Give a seat back and pass it straight on to the waiting list; mail the offers after commit. */
export async function freeSeat(tx: Tx, eventId: number, typeId: number): Promise<Offer[]> {
	await giveBackSeat(tx, eventId, typeId);
	return offerFreedSeats(tx, eventId);
}

export async function mailOffers(offers: Offer[], origin = config.origin): Promise<void> {
	for (const offer of offers) {
		const [event] = await db()
			.select()
			.from(schema.events)
			.where(eq(schema.events.id, offer.eventId));
		await sendMail(
			await mailTo(offer.email, () => ({
				subject: m.mail_offer_subject({ event: event.name }),
				text: m.mail_offer_text({
					name: offer.name,
					event: event.name,
					url: `${origin}/e/${event.slug}/claim/${offer.token}`,
					until: offer.expiresAt.toISOString().slice(0, 16).replace('T', ' ') + ' UTC'
				})
			}))
		);
	}
}

export async function describeOffer(eventId: number, token: string) {
	const w = schema.waitingList;
	const [row] = await db()
		.select()
		.from(w)
		.where(
			and(
				eq(w.eventId, eventId),
				eq(w.offerTokenHash, sha256(token)),
				eq(w.status, 'offered'),
				gt(w.offerExpiresAt, new Date())
			)
		);
	if (!row) throw new DomainError('not_found', m.error_offer_invalid());
	return row;
}

/** Turn an open offer into a claimed one inside the order's transaction; its seat moves over. */
export async function claimOffer(
	tx: Tx,
	eventId: number,
	token: string,
	typeId: number
): Promise<number> {
	const w = schema.waitingList;
	const [row] = await tx
		.update(w)
		.set({ status: 'claimed' })
		.where(
			and(
				eq(w.eventId, eventId),
				eq(w.ticketTypeId, typeId),
				eq(w.offerTokenHash, sha256(token)),
				eq(w.status, 'offered'),
				gt(w.offerExpiresAt, new Date())
			)
		)
		.returning({ id: w.id });
	if (!row) throw new DomainError('not_found', m.error_offer_invalid());
	return row.id;
}

/** Unanswered offers lapse: their seat goes to the next person in line. */
export async function expireOffers(now = new Date()): Promise<number> {
	const w = schema.waitingList;
	const due = await db()
		.select({ id: w.id })
		.from(w)
		.where(and(eq(w.status, 'offered'), lte(w.offerExpiresAt, now)));
	for (const { id } of due) {
		const offers = await db().transaction(async (tx) => {
			const [row] = await tx
				.update(w)
				.set({ status: 'expired' })
				.where(and(eq(w.id, id), eq(w.status, 'offered')))
				.returning();
			if (!row) return [];
			await logActivity(tx, {
				eventId: row.eventId,
				action: 'waiting_list.offer_expired',
				data: { email: row.email }
			});
			return freeSeat(tx, row.eventId, row.ticketTypeId);
		});
		await mailOffers(offers);
	}
	return due.length;
}

export async function listWaiting(actor: Actor, eventId: number) {
	await requireEventPermission(actor, eventId, 'orders.view');
	const w = schema.waitingList;
	return db()
		.select({ entry: w, typeName: schema.ticketTypes.name })
		.from(w)
		.innerJoin(schema.ticketTypes, eq(schema.ticketTypes.id, w.ticketTypeId))
		.where(eq(w.eventId, eventId))
		.orderBy(asc(w.id));
}

/** One message to everyone still waiting ("we'll run another event"), which closes the list. */
export async function closeWaitingList(
	actor: Actor,
	eventId: number,
	message: string
): Promise<number> {
	const who = await requireEventPermission(actor, eventId, 'orders.manage');
	const w = schema.waitingList;
	const closed = await db()
		.update(w)
		.set({ status: 'closed' })
		.where(and(eq(w.eventId, eventId), eq(w.status, 'waiting')))
		.returning();
	const [event] = await db().select().from(schema.events).where(eq(schema.events.id, eventId));
	if (!event) throw notFound();
	for (const person of closed) {
		await sendMail(
			await mailTo(person.email, () => ({
				subject: m.mail_waiting_closed_subject({ event: event.name }),
				text: m.mail_waiting_closed_text({ name: person.name, event: event.name, message })
			}))
		);
	}
	await logActivity(db(), {
		eventId,
		actorId: who.id,
		action: 'waiting_list.closed',
		data: { count: closed.length }
	});
	return closed.length;
}
