import { and, count, eq, ilike, isNotNull, or } from 'drizzle-orm';
import { logActivity } from '../core/activity';
import { requireEventPermission, type Actor } from '../auth/guards';
import { db, prepared, schema } from '../db';
import { codeFrom, doorName } from '$lib/tickets/door-code';
import { notFound } from '../core/errors';
import { live } from '../live/hub';

export type CheckInResult =
	| { status: 'checked_in'; name: string; ticketType: string; at: Date; ticketId: number }
	| { status: 'already'; name: string; ticketType: string; at: Date; ticketId: number }
	| { status: 'cancelled'; name: string; ticketType: string; ticketId: number }
	| { status: 'other_event' }
	| { status: 'unknown' };

export { codeFrom };

/** Where a check-in happens: the door's name (as its phone chose it) and the phone's id. */
export interface DoorOf {
	door?: string | null;
	device?: string | null;
}

export type AdmitRow = {
	outcome: 'checked_in' | 'already' | 'conflict' | 'cancelled' | 'other_event' | 'unknown';
	ticket_id: number | null;
	name: string | null;
	ticket_type: string | null;
	at: Date | string | null;
	door: string | null;
	conflict: boolean;
};

/**
 * One admission as one prepared statement: `door_admit` (migration 0017_door_offline) locks the
 * ticket, lets a valid ticket of this event in once, records the door, writes the activity log and
 * announces the change through `live_publish`. An offline scan carries its scan id and the time it
 * was scanned, so the same scan sent again applies once.
 */
export async function admit(
	userId: number,
	eventId: number,
	code: string,
	where: DoorOf,
	scan?: { id: string; at: Date }
): Promise<AdmitRow> {
	const [row] = await prepared<AdmitRow>('select * from door_admit($1, $2, $3, $4, $5, $6, $7)', [
		eventId,
		code,
		userId,
		doorName(where.door),
		where.device?.slice(0, 100) || null,
		scan?.id ?? null,
		scan ? scan.at.toISOString() : null
	]);
	return row;
}

/** Check a ticket in once; two scanners at the door cannot both let the same ticket in. */
export async function checkIn(
	actor: Actor,
	eventId: number,
	input: string,
	where: DoorOf = {}
): Promise<CheckInResult> {
	const who = await requireEventPermission(actor, eventId, 'checkin.scan');
	const row = await admit(who.id, eventId, codeFrom(input), where);
	if (row.outcome === 'unknown' || row.outcome === 'other_event') return { status: row.outcome };
	const ticket = { name: row.name!, ticketType: row.ticket_type!, ticketId: row.ticket_id! };
	if (row.outcome === 'cancelled') return { status: 'cancelled', ...ticket };
	const status = row.outcome === 'checked_in' ? 'checked_in' : 'already';
	return { status, ...ticket, at: new Date(row.at!) };
}

/** Organisers can take a check-in back (a mistaken scan at a busy door). */
export async function undoCheckIn(actor: Actor, eventId: number, ticketId: number): Promise<void> {
	const who = await requireEventPermission(actor, eventId, 'checkin.undo');
	const t = schema.tickets;
	await db().transaction(async (tx) => {
		const [ticket] = await tx
			.update(t)
			.set({ checkedInAt: null, checkedInBy: null, checkedInDoor: null, checkedInDevice: null })
			.where(and(eq(t.id, ticketId), eq(t.eventId, eventId), isNotNull(t.checkedInAt)))
			.returning({ id: t.id });
		if (!ticket) throw notFound();
		const s = schema.doorScans;
		await tx
			.update(s)
			.set({ outcome: 'undone' })
			.where(and(eq(s.ticketId, ticketId), eq(s.outcome, 'admitted')));
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
