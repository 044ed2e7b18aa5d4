import { desc, eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { m } from '$lib/paraglide/messages';
import { onPostgres, useTestDb } from '../../../../tests/fixtures/db';
import { domainError } from '../../../../tests/fixtures/domain-error';
import {
	actorOf,
	makeEvent,
	makeTicketType,
	makeUser,
	orderInput
} from '../../../../tests/fixtures/factories';
import { cancelOrder } from './cancellations';
import { db, schema } from '../db';
import { sweep } from '../core/sweeper';
import { startOrder } from './orders';
import { orderAndConfirm } from '../../../../tests/fixtures/mailbox';
import { seatFigures } from './ticketing';
import { closeWaitingList, joinWaitingList } from './waitlist';

useTestDb();

const ORIGIN = 'http://t';

async function offerToken(email: string): Promise<string | null> {
	const [mail] = await db()
		.select()
		.from(schema.outbox)
		.where(eq(schema.outbox.to, email))
		.orderBy(desc(schema.outbox.id))
		.limit(1);
	return mail?.text.match(/\/claim\/([a-z0-9]+)/)?.[1] ?? null;
}

async function soldOutEvent(cap = 1) {
	const { event, organiser } = await makeEvent({ capacity: cap });
	const type = await makeTicketType(organiser, event.id);
	const sold = [];
	for (let i = 0; i < cap; i++) {
		const buyer = actorOf(await makeUser());
		const r = await startOrder(buyer, event.id, orderInput(type.id), ORIGIN);
		if (r.kind !== 'ticket') throw new Error('expected a ticket');
		sold.push(r.order);
	}
	return { event, organiser, type, sold };
}

describe('waiting list', () => {
	it('a freed seat is offered to the first in line, who claims it with the mailed link', async () => {
		const { event, organiser, type, sold } = await soldOutEvent();
		await joinWaitingList(null, event.id, {
			ticketTypeId: type.id,
			name: 'First',
			email: 'first@example.org'
		});
		await joinWaitingList(null, event.id, {
			ticketTypeId: type.id,
			name: 'Second',
			email: 'second@example.org'
		});
		expect((await startOrder(null, event.id, orderInput(type.id), ORIGIN)).kind).toBe('sold_out');

		await cancelOrder(organiser, event.id, sold[0].id);
		const token = await offerToken('first@example.org');
		expect(token).toBeTruthy();
		expect(await offerToken('second@example.org')).toBeNull();
		// The offered seat is held for them: nobody else can buy it meanwhile.
		expect((await startOrder(null, event.id, orderInput(type.id), ORIGIN)).kind).toBe('sold_out');
		const claimed = await startOrder(
			null,
			event.id,
			orderInput(type.id, { offer: token!, attendeeEmail: 'first@example.org' }),
			ORIGIN
		);
		expect(claimed.kind).toBe('ticket');
		// The link works once.
		const again = await domainError(() =>
			startOrder(null, event.id, orderInput(type.id, { offer: token! }), ORIGIN)
		);
		expect(again.kind).toBe('not_found');
		expect((await seatFigures(event.id)).taken).toBe(1);
	});

	it('an unanswered offer expires and passes to the next person', async () => {
		const { event, organiser, type, sold } = await soldOutEvent();
		await joinWaitingList(null, event.id, {
			ticketTypeId: type.id,
			name: 'Slow',
			email: 'slow@example.org'
		});
		await joinWaitingList(null, event.id, {
			ticketTypeId: type.id,
			name: 'Next',
			email: 'next@example.org'
		});
		await cancelOrder(organiser, event.id, sold[0].id);
		const slowToken = await offerToken('slow@example.org');
		await sweep(new Date(Date.now() + 25 * 3_600_000)); // default offer: 24 hours
		const nextToken = await offerToken('next@example.org');
		expect(nextToken).toBeTruthy();
		await expect(
			startOrder(null, event.id, orderInput(type.id, { offer: slowToken! }), ORIGIN)
		).rejects.toThrow(m.error_offer_invalid());
		expect(
			(await startOrder(null, event.id, orderInput(type.id, { offer: nextToken! }), ORIGIN)).kind
		).toBe('ticket');
		expect((await seatFigures(event.id)).taken).toBe(1);
	});

	it.runIf(onPostgres())(
		'one freed seat never goes to two people, however many cancellations race',
		async () => {
			const { event, organiser, type, sold } = await soldOutEvent(5);
			for (let i = 0; i < 20; i++) {
				await joinWaitingList(null, event.id, {
					ticketTypeId: type.id,
					name: `W${i}`,
					email: `w${i}@example.org`
				});
			}
			await Promise.all(sold.slice(0, 3).map((o) => cancelOrder(organiser, event.id, o.id)));
			const offered = await db()
				.select()
				.from(schema.waitingList)
				.where(eq(schema.waitingList.status, 'offered'));
			expect(
				offered
					.filter((w) => w.eventId === event.id)
					.map((w) => w.email)
					.sort()
			).toEqual(['w0@example.org', 'w1@example.org', 'w2@example.org']);
			expect((await seatFigures(event.id)).taken).toBe(5);
		}
	);

	it('refuses joining twice and a ticket type of another event', async () => {
		const { event, type } = await soldOutEvent();
		const other = await makeEvent();
		const foreign = await makeTicketType(other.organiser, other.event.id);
		await joinWaitingList(null, event.id, {
			ticketTypeId: type.id,
			name: 'A',
			email: 'a@example.org'
		});
		expect(
			(
				await domainError(() =>
					joinWaitingList(null, event.id, {
						ticketTypeId: type.id,
						name: 'A',
						email: 'a@example.org'
					})
				)
			).fields.email
		).toBe(m.error_already_waiting());
		expect(
			(
				await domainError(() =>
					joinWaitingList(null, event.id, {
						ticketTypeId: foreign.id,
						name: 'A',
						email: 'b@example.org'
					})
				)
			).fields.ticketTypeId
		).toBe(m.error_not_in_event());
	});

	it('a hidden ticket type’s list needs its access code', async () => {
		const { event, organiser } = await makeEvent();
		const crew = await makeTicketType(organiser, event.id, {
			name: 'Crew',
			accessCode: 'OPEN-CREW'
		});
		const join = (accessCode?: string) =>
			joinWaitingList(null, event.id, {
				ticketTypeId: crew.id,
				name: 'C',
				email: `c-${accessCode ?? 'none'}@example.org`,
				accessCode
			});
		expect((await domainError(() => join())).fields.ticketTypeId).toBe(m.error_not_in_event());
		expect((await domainError(() => join('WRONG-CODE'))).fields.ticketTypeId).toBe(
			m.error_not_in_event()
		);
		expect((await join('open-crew')).status).toBe('waiting');
	});

	it('the offer link of a hidden type’s list stands in for its code; a made-up one does not', async () => {
		const { event, organiser } = await makeEvent({ capacity: 1 });
		const crew = await makeTicketType(organiser, event.id, {
			name: 'Crew',
			accessCode: 'OPEN-CREW'
		});
		const first = await orderAndConfirm(
			event.id,
			orderInput(crew.id, { accessCode: 'OPEN-CREW' }),
			ORIGIN
		);
		await joinWaitingList(null, event.id, {
			ticketTypeId: crew.id,
			name: 'Next',
			email: 'next-crew@example.org',
			accessCode: 'OPEN-CREW'
		});
		await cancelOrder(organiser, event.id, first.kind === 'ticket' ? first.order.id : 0);
		const token = await offerToken('next-crew@example.org');
		const forged = await domainError(() =>
			startOrder(null, event.id, orderInput(crew.id, { offer: 'made-up-offer' }), ORIGIN)
		);
		expect(forged.kind).toBe('not_found');
		const claimed = await startOrder(
			null,
			event.id,
			orderInput(crew.id, { offer: token!, attendeeEmail: 'next-crew@example.org' }),
			ORIGIN
		);
		expect(claimed.kind).toBe('ticket');
	});

	it('the organiser can close the list with one message to everyone waiting', async () => {
		const { event, organiser, type } = await soldOutEvent();
		await joinWaitingList(null, event.id, {
			ticketTypeId: type.id,
			name: 'A',
			email: 'close-a@example.org'
		});
		await joinWaitingList(null, event.id, {
			ticketTypeId: type.id,
			name: 'B',
			email: 'close-b@example.org'
		});
		expect(
			await closeWaitingList(organiser, event.id, 'We will run another gathering in the autumn.')
		).toBe(2);
		const [mail] = await db()
			.select()
			.from(schema.outbox)
			.where(eq(schema.outbox.to, 'close-b@example.org'));
		expect(mail.text).toContain('another gathering in the autumn');
		const stranger = actorOf(await makeUser());
		expect((await domainError(() => closeWaitingList(stranger, event.id, 'x'))).kind).toBe(
			'forbidden'
		);
	});
});
