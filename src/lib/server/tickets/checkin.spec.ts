import { describe, expect, it } from 'vitest';
import { and, eq } from 'drizzle-orm';
import { db, schema } from '../db';
import { useTestDb } from '../../../../tests/fixtures/db';
import { domainError } from '../../../../tests/fixtures/domain-error';
import {
	actorOf,
	grantRole,
	makeEvent,
	makeTicketType,
	makeUser,
	orderInput
} from '../../../../tests/fixtures/factories';
import { cancelOrder } from './cancellations';
import { checkIn, checkInCounts, codeFrom, searchTickets, undoCheckIn } from './checkin';
import { orderAndConfirm } from '../../../../tests/fixtures/mailbox';
import { checkInUrl } from './tickets';

useTestDb();

async function ticketed() {
	const { event, organiser } = await makeEvent();
	const type = await makeTicketType(organiser, event.id);
	const r = await orderAndConfirm(event.id, orderInput(type.id, { attendeeName: 'Grace Hopper' }));
	if (r.kind !== 'ticket') throw new Error('expected a ticket');
	const facilitator = actorOf(await makeUser());
	await grantRole(event.id, facilitator.id, 'facilitator');
	return { event, organiser, facilitator, type, ticket: r.ticket, order: r.order };
}

describe('check-in', () => {
	it('a ticket checks in once; the second scan says when it was', async () => {
		const { event, facilitator, type, ticket } = await ticketed();
		const first = await checkIn(facilitator, event.id, ticket.code);
		// The door shows who it is and on which ticket type.
		expect(first).toMatchObject({
			status: 'checked_in',
			name: 'Grace Hopper',
			ticketType: type.name
		});
		const second = await checkIn(facilitator, event.id, ticket.code.toUpperCase());
		expect(second.status).toBe('already');
		expect(second.status === 'already' && second.at.getTime()).toBe(
			first.status === 'checked_in' && first.at.getTime()
		);
		expect(second).toMatchObject({ name: 'Grace Hopper', ticketType: type.name });
		expect(await checkInCounts(facilitator, event.id)).toEqual({ sold: 1, checkedIn: 1 });
	});

	it('tells every door phone that the counts changed, on a check-in and on an undo only', async () => {
		const { event, organiser, ticket } = await ticketed();
		const announced = async () =>
			(
				await db()
					.select({ data: schema.liveEvents.data })
					.from(schema.liveEvents)
					.where(
						and(eq(schema.liveEvents.eventId, event.id), eq(schema.liveEvents.topic, 'checkin'))
					)
			).length;
		await checkIn(organiser, event.id, ticket.code);
		expect(await announced()).toBe(1);
		// A second scan of the same ticket changes nothing, so says nothing.
		await checkIn(organiser, event.id, ticket.code);
		expect(await announced()).toBe(1);
		await undoCheckIn(organiser, event.id, ticket.id);
		expect(await announced()).toBe(2);
	});

	it('two scanners at once let the ticket in once', async () => {
		const { event, facilitator, organiser, ticket } = await ticketed();
		const results = await Promise.all([
			checkIn(facilitator, event.id, ticket.code),
			checkIn(organiser, event.id, ticket.code)
		]);
		expect(results.map((r) => r.status).sort()).toEqual(['already', 'checked_in']);
	});

	it('the QR URL works like the code; a code of another event or a forged one is refused', async () => {
		const a = await ticketed();
		const b = await ticketed();
		const url = checkInUrl('https://cs.example', a.event.slug, a.ticket.code);
		expect(codeFrom(url)).toBe(a.ticket.code);
		expect((await checkIn(a.organiser, a.event.id, url)).status).toBe('checked_in');
		expect((await checkIn(a.organiser, a.event.id, b.ticket.code)).status).toBe('other_event');
		expect((await checkIn(a.organiser, a.event.id, 'abcdefghijkmnpqrstuv')).status).toBe('unknown');
		// The other event's ticket was not touched.
		expect((await checkIn(b.organiser, b.event.id, b.ticket.code)).status).toBe('checked_in');
	});

	it('a cancelled ticket is refused', async () => {
		const { event, organiser, ticket, order } = await ticketed();
		await cancelOrder(organiser, event.id, order.id);
		expect((await checkIn(organiser, event.id, ticket.code)).status).toBe('cancelled');
	});

	it('organisers can undo a check-in; facilitators can check in but not undo; others can do neither', async () => {
		const { event, organiser, facilitator, ticket } = await ticketed();
		await checkIn(facilitator, event.id, ticket.code);
		expect((await domainError(() => undoCheckIn(facilitator, event.id, ticket.id))).kind).toBe(
			'forbidden'
		);
		await undoCheckIn(organiser, event.id, ticket.id);
		expect((await checkIn(facilitator, event.id, ticket.code)).status).toBe('checked_in');
		const stranger = actorOf(await makeUser());
		expect((await domainError(() => checkIn(stranger, event.id, ticket.code))).kind).toBe(
			'forbidden'
		);
		expect((await domainError(() => checkIn(null, event.id, ticket.code))).kind).toBe(
			'unauthenticated'
		);
	});

	it('finds tickets by name at the door, only within the event', async () => {
		const { event, facilitator } = await ticketed();
		await ticketed(); // another Grace Hopper at another event
		const found = await searchTickets(facilitator, event.id, 'hopper');
		expect(found).toHaveLength(1);
		expect(await searchTickets(facilitator, event.id, '%')).toHaveLength(0);
	});
});
