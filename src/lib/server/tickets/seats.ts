import { and, eq, isNull, lt, or, sql } from 'drizzle-orm';
import { schema, type Tx } from '../db';
import { live } from '../live/hub';

// The attendance cap and per-type quotas are counters changed only by guarded UPDATEs: the row
// lock each UPDATE takes makes concurrent buyers queue, and the WHERE clause refuses the seat
// past the cap. Locks are always taken event first, then ticket type, so two paths never deadlock.

/**
 * A look at the counters without a lock: in a rush most buyers find the event full, and are told
 * so before any account or mail is made. Only the guarded UPDATE in takeSeat decides.
 */
export function looksFull(
	event: { seatsTaken: number; capacity: number },
	type: { seatsTaken: number; quota: number | null }
): boolean {
	return (
		event.seatsTaken >= event.capacity || (type.quota !== null && type.seatsTaken >= type.quota)
	);
}

/** Take one seat of `typeId` for the event; false when the cap or the type's quota is reached. */
export async function takeSeat(tx: Tx, eventId: number, typeId: number): Promise<boolean> {
	const t = schema.ticketing;
	const [event] = await tx
		.update(t)
		.set({ seatsTaken: sql`${t.seatsTaken} + 1` })
		.where(
			and(
				eq(t.eventId, eventId),
				lt(
					t.seatsTaken,
					sql`(select ${schema.events.capacity} from ${schema.events} where ${schema.events.id} = ${eventId})`
				)
			)
		)
		.returning({ eventId: t.eventId });
	if (!event) return false;
	const tt = schema.ticketTypes;
	const [type] = await tx
		.update(tt)
		.set({ seatsTaken: sql`${tt.seatsTaken} + 1` })
		.where(
			and(
				eq(tt.id, typeId),
				eq(tt.eventId, eventId),
				or(isNull(tt.quota), lt(tt.seatsTaken, tt.quota))
			)
		)
		.returning({ id: tt.id });
	if (!type) {
		await tx
			.update(t)
			.set({ seatsTaken: sql`${t.seatsTaken} - 1` })
			.where(eq(t.eventId, eventId));
		return false;
	}
	await live().publish(eventId, 'seats', {}, tx);
	return true;
}

/** Give one seat back to the event and its type. */
export async function giveBackSeat(tx: Tx, eventId: number, typeId: number): Promise<void> {
	const t = schema.ticketing;
	await tx
		.update(t)
		.set({ seatsTaken: sql`greatest(${t.seatsTaken} - 1, 0)` })
		.where(eq(t.eventId, eventId));
	const tt = schema.ticketTypes;
	await tx
		.update(tt)
		.set({ seatsTaken: sql`greatest(${tt.seatsTaken} - 1, 0)` })
		.where(eq(tt.id, typeId));
	await live().publish(eventId, 'seats', {}, tx);
}

/**
 * Lock the event's seat counter without changing it, for a step that takes a seat some other way
 * (a waiting-list offer's) but must still queue behind every other order of the event.
 */
export async function lockSeats(tx: Tx, eventId: number): Promise<void> {
	const t = schema.ticketing;
	await tx.select({ eventId: t.eventId }).from(t).where(eq(t.eventId, eventId)).for('update');
}
