import { and, count, eq, ilike, isNotNull, isNull, or } from 'drizzle-orm';
import { logActivity } from '../core/activity';
import { requireEventPermission, type Actor } from '../auth/guards';
import { live } from '../live/hub';
import { db, schema } from '../db';
import { notFound } from '../core/errors';

export type CheckInResult =
	| { status: 'checked_in'; name: string; at: Date; ticketId: number }
	| { status: 'already'; name: string; at: Date; ticketId: number }
	| { status: 'cancelled'; name: string; ticketId: number }
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
	const [done] = await db()
		.update(t)
		.set({ checkedInAt: now, checkedInBy: who.id })
		.where(
			and(eq(t.code, code), eq(t.eventId, eventId), eq(t.status, 'valid'), isNull(t.checkedInAt))
		)
		.returning();
	if (done) {
		await db().transaction(async (tx) => {
			await logActivity(tx, {
				eventId,
				actorId: who.id,
				action: 'ticket.checked_in',
				data: { ticketId: done.id }
			});
			await live().publish(eventId, 'checkin', {}, tx);
		});
		return { status: 'checked_in', name: done.name, at: now, ticketId: done.id };
	}
	const [ticket] = await db().select().from(t).where(eq(t.code, code));
	if (!ticket) return { status: 'unknown' };
	if (ticket.eventId !== eventId) return { status: 'other_event' };
	if (ticket.status === 'cancelled')
		return { status: 'cancelled', name: ticket.name, ticketId: ticket.id };
	return { status: 'already', name: ticket.name, at: ticket.checkedInAt!, ticketId: ticket.id };
}

/** Organisers can take a check-in back (a mistaken scan at a busy door). */
export async function undoCheckIn(actor: Actor, eventId: number, ticketId: number): Promise<void> {
	const who = await requireEventPermission(actor, eventId, 'checkin.undo');
	const t = schema.tickets;
	const [ticket] = await db()
		.update(t)
		.set({ checkedInAt: null, checkedInBy: null })
		.where(and(eq(t.id, ticketId), eq(t.eventId, eventId), isNotNull(t.checkedInAt)))
		.returning();
	if (!ticket) throw notFound();
	await db().transaction(async (tx) => {
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
