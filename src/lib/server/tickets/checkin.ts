import { and, count, eq, ilike, isNotNull, isNull, or } from 'drizzle-orm';
import { logActivity } from '../core/activity';
import { requireEventPermission, type Actor } from '../auth/guards';
import { db, schema } from '../db';
import { notFound } from '../core/errors';
import { live } from '../live/hub';

export type CheckInResult =
	| { status: 'checked_in'; name: string; ticketType: string; at: Date; ticketId: number }
	| { status: 'already'; name: string; ticketType: string; at: Date; ticketId: number }
	| { status: 'cancelled'; name: string; ticketType: string; ticketId: number }
	| { status: 'other_event' }
	| { status: 'unknown' };

/** The code alone, whether typed, scanned as a bare code, or scanned as the ticket's check-in URL. */
export function codeFrom(input: string): string {
	const trimmed = input.trim();
	const fromUrl = trimmed.match(/[?&]code=([a-z0-9]+)/i);
	return (fromUrl ? fromUrl[1] : trimmed).toLowerCase();
}

/**
 * Check a ticket in once. The UPDATE only matches a valid ticket of this event that has not been
 * checked in, so two scanners at the door cannot both let the same ticket in.
 */
export async function checkIn(
	actor: Actor,
	eventId: number,
	input: string
): Promise<CheckInResult> {
	const who = await requireEventPermission(actor, eventId, 'checkin.scan');
	const code = codeFrom(input);
	const t = schema.tickets;
	const now = new Date();
	const done = await db().transaction(async (tx) => {
		const [row] = await tx
			.update(t)
			.set({ checkedInAt: now, checkedInBy: who.id })
			.where(
				and(eq(t.code, code), eq(t.eventId, eventId), eq(t.status, 'valid'), isNull(t.checkedInAt))
			)
			.returning({ id: t.id });
		if (!row) return null;
		await logActivity(tx, {
			eventId,
			actorId: who.id,
			action: 'ticket.checked_in',
			data: { ticketId: row.id }
		});
		// Every door phone reads its counts again (they are not for the public stream to carry).
		await live().publish(eventId, 'checkin', {}, tx);
		return row;
	});
	const [ticket] = await db()
		.select({
			id: t.id,
			eventId: t.eventId,
			name: t.name,
			status: t.status,
			checkedInAt: t.checkedInAt,
			ticketType: schema.ticketTypes.name
		})
		.from(t)
		.innerJoin(schema.ticketTypes, eq(schema.ticketTypes.id, t.ticketTypeId))
		.where(eq(t.code, code));
	if (!ticket) return { status: 'unknown' };
	if (ticket.eventId !== eventId) return { status: 'other_event' };
	const { name, ticketType } = ticket;
	if (done) return { status: 'checked_in', name, ticketType, at: now, ticketId: ticket.id };
	if (ticket.status === 'cancelled')
		return { status: 'cancelled', name, ticketType, ticketId: ticket.id };
	return { status: 'already', name, ticketType, at: ticket.checkedInAt!, ticketId: ticket.id };
}

/** Organisers can take a check-in back (a mistaken scan at a busy door). */
export async function undoCheckIn(actor: Actor, eventId: number, ticketId: number): Promise<void> {
	const who = await requireEventPermission(actor, eventId, 'checkin.undo');
	const t = schema.tickets;
	await db().transaction(async (tx) => {
		const [ticket] = await tx
			.update(t)
			.set({ checkedInAt: null, checkedInBy: null })
			.where(and(eq(t.id, ticketId), eq(t.eventId, eventId), isNotNull(t.checkedInAt)))
			.returning({ id: t.id });
		if (!ticket) throw notFound();
		await logActivity(tx, {
			eventId,
			actorId: who.id,
			action: 'ticket.check_in_undone',
			data: { ticketId }
		});
		await live().publish(eventId, 'checkin', {}, tx);
	});
}

/** Find tickets by name, e-mail or code for the door, when there is no QR to scan. */
export async function searchTickets(actor: Actor, eventId: number, query: string) {
	await requireEventPermission(actor, eventId, 'checkin.scan');
	const t = schema.tickets;
	const q = `%${query.trim().replace(/[%_\\]/g, (c) => `\\${c}`)}%`;
	return db()
		.select()
		.from(t)
		.where(and(eq(t.eventId, eventId), or(ilike(t.name, q), ilike(t.email, q), ilike(t.code, q))))
		.orderBy(t.name)
		.limit(20);
}

export async function checkInCounts(actor: Actor, eventId: number) {
	await requireEventPermission(actor, eventId, 'checkin.scan');
	const t = schema.tickets;
	const [row] = await db()
		.select({ sold: count(), checkedIn: count(t.checkedInAt) })
		.from(t)
		.where(and(eq(t.eventId, eventId), eq(t.status, 'valid')));
	return row;
}
