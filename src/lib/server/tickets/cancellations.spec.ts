import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { useTestDb } from '../../../../tests/fixtures/db';
import { domainError } from '../../../../tests/fixtures/domain-error';
import {
	actorOf,
	makeEvent,
	makeTicketType,
	makeUser,
	orderInput
} from '../../../../tests/fixtures/factories';
import { useFakeStripe } from '../../../../tests/fixtures/use-fake-stripe';
import { attendeesCsv, listOrders } from './attendees';
import { cancelOrder, cancelOwnTicket } from './cancellations';
import { db, schema } from '../db';
import { startOrder } from './orders';
import { orderAndConfirm } from '../../../../tests/fixtures/mailbox';
import { handleStripeEvent, verifyWebhook } from './payments/webhook';
import { seatFigures, updateTicketing } from './ticketing';

useTestDb();

const fake = useFakeStripe();

async function paidTicket(price = 3000) {
	const { event, organiser } = await makeEvent({ startDate: '2099-06-24', endDate: '2099-06-25' });
	const type = await makeTicketType(organiser, event.id, { pricing: 'fixed', price });
	const buyer = actorOf(await makeUser());
	const r = await startOrder(buyer, event.id, orderInput(type.id), 'http://t');
	if (r.kind !== 'checkout') throw new Error('expected checkout');
	fake.pay(r.order.stripeSessionId!);
	const signed = fake.event('checkout.session.completed', r.order.stripeSessionId!);
	await handleStripeEvent(verifyWebhook(signed.body, signed.signature));
	const [ticket] = await db()
		.select()
		.from(schema.tickets)
		.where(eq(schema.tickets.orderId, r.order.id));
	return { event, organiser, buyer, order: r.order, ticket };
}

const statusOf = async (id: number) =>
	(await db().select().from(schema.orders).where(eq(schema.orders.id, id)))[0].status;

describe('cancellation and refunds', () => {
	it('an attendee cancels before the deadline: refunded, seat freed, ticket void', async () => {
		const { event, buyer, order, ticket } = await paidTicket();
		await cancelOwnTicket(buyer, ticket.id);
		expect(await statusOf(order.id)).toBe('refunded');
		expect(fake.refunds.at(-1)!.payment_intent).toBe(
			fake.sessions.get(order.stripeSessionId!)!.payment_intent
		);
		expect((await seatFigures(event.id)).remaining).toBe(event.capacity);
		const [after] = await db()
			.select()
			.from(schema.tickets)
			.where(eq(schema.tickets.id, ticket.id));
		expect(after.status).toBe('cancelled');
	});

	it('after the deadline the attendee cannot cancel; with "no refunds" nothing is paid back', async () => {
		const late = await paidTicket();
		await updateTicketing(late.organiser, late.event.id, {
			currency: 'EUR',
			cancelUntil: '2020-01-01T00:00',
			refundPolicy: 'full',
			offerHours: 24
		});
		expect((await domainError(() => cancelOwnTicket(late.buyer, late.ticket.id))).kind).toBe(
			'conflict'
		);

		const strict = await paidTicket();
		await updateTicketing(strict.organiser, strict.event.id, {
			currency: 'EUR',
			cancelUntil: '',
			refundPolicy: 'none',
			offerHours: 24
		});
		const refundsBefore = fake.refunds.length;
		await cancelOwnTicket(strict.buyer, strict.ticket.id);
		expect(await statusOf(strict.order.id)).toBe('cancelled');
		expect(fake.refunds.length).toBe(refundsBefore);
	});

	it("nobody else can cancel someone's ticket", async () => {
		const { ticket } = await paidTicket();
		const stranger = actorOf(await makeUser());
		expect((await domainError(() => cancelOwnTicket(stranger, ticket.id))).kind).toBe('forbidden');
	});

	it('an organiser cancels and refunds an order of their event only', async () => {
		const a = await paidTicket();
		const b = await paidTicket();
		expect((await domainError(() => cancelOrder(a.organiser, a.event.id, b.order.id))).kind).toBe(
			'not_found'
		);
		expect((await domainError(() => cancelOrder(b.buyer, b.event.id, b.order.id))).kind).toBe(
			'forbidden'
		);
		await cancelOrder(a.organiser, a.event.id, a.order.id);
		expect(await statusOf(a.order.id)).toBe('refunded');
		expect(await statusOf(b.order.id)).toBe('paid');
		const twice = await domainError(() => cancelOrder(a.organiser, a.event.id, a.order.id));
		expect(twice.kind).toBe('conflict');
	});

	it('the attendee list lists valid tickets and defuses spreadsheet formulas', async () => {
		const { event, organiser } = await makeEvent();
		const type = await makeTicketType(organiser, event.id);
		await orderAndConfirm(
			event.id,
			orderInput(type.id, { attendeeName: 'Ada', dietary: '=HYPERLINK("x")' }),
			'http://t'
		);
		const csv = await attendeesCsv(organiser, event.id);
		const lines = csv.trim().split('\r\n');
		expect(lines).toHaveLength(2);
		expect(lines[1]).toContain(`"'=HYPERLINK(""x"")"`);
		expect(await listOrders(organiser, event.id)).toHaveLength(1);
		const stranger = actorOf(await makeUser());
		expect((await domainError(() => attendeesCsv(stranger, event.id))).kind).toBe('forbidden');
	});
});
