import { and, count, eq, inArray, or, sql } from 'drizzle-orm';
import { m } from '$lib/paraglide/messages';
import { db, schema, type Db, type Tx } from '../db';
import { invalid } from '../core/errors';

// One person may hold only so many tickets of an event: one unless the organiser raised it for
// the ticket type ordered. A person is the account that buys and the address a ticket is for, so
// buying for made-up addresses counts against the buyer, and gifts count against the attendee.
// Held seats count too, so unpaid Checkout sessions cannot lock up the event.

export interface Person {
	/** The account placing the order (for someone not signed in: the attendee's, once confirmed). */
	buyerId: number;
	/** The attendee's address, lower-cased. */
	email: string;
}

/** Seats sold to or held for this person in the event. */
export async function seatsOf(tx: Tx | Db, eventId: number, person: Person): Promise<number> {
	const o = schema.orders;
	const [row] = await tx
		.select({ n: count() })
		.from(o)
		.where(
			and(
				eq(o.eventId, eventId),
				inArray(o.status, ['held', 'paid']),
				eq(o.holdsSeat, true),
				or(eq(o.buyerId, person.buyerId), sql`lower(${o.attendeeEmail}) = ${person.email}`)
			)
		);
	return row.n;
}

/** The message next to the e-mail field when the person has as many tickets as they may. */
export function limitMessage(perPerson: number): string {
	return perPerson === 1 ? m.error_one_per_person() : m.error_per_person({ max: perPerson });
}

/**
 * Refuse the order when the person already holds `perPerson` seats. Call it inside the order's
 * transaction after the event's seat counter is locked (takeSeat or lockSeats): every order of
 * the event queues on that lock, so two orders by one person cannot both see room for one more.
 */
export async function refuseOverLimit(
	tx: Tx,
	eventId: number,
	perPerson: number,
	person: Person
): Promise<void> {
	if ((await seatsOf(tx, eventId, person)) >= perPerson) {
		throw invalid({ attendeeEmail: limitMessage(perPerson) });
	}
}

/** The same check before any seat is taken, so a person at the limit is told at once. */
export async function atLimit(eventId: number, perPerson: number, person: Person) {
	return (await seatsOf(db(), eventId, person)) >= perPerson;
}
