import { and, eq, inArray, sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { useTestDb } from '../../../../../tests/fixtures/db';
import {
	actorOf,
	makeEvent,
	makeTicketType,
	makeUser,
	orderInput
} from '../../../../../tests/fixtures/factories';
import { useFakeStripe } from '../../../../../tests/fixtures/use-fake-stripe';
import { db, schema } from '../../db';
import { startOrder, type Order } from '../orders';
import { seatFigures } from '../ticketing';
import { joinWaitingList } from '../waitlist';
import { handleStripeEvent, verifyWebhook } from './webhook';

useTestDb();

const fake = useFakeStripe();

type Signed = { body: string; signature: string };
const deliver = (e: Signed) => handleStripeEvent(verifyWebhook(e.body, e.signature));

async function checkout(eventId: number, typeId: number): Promise<Order> {
	const r = await startOrder(actorOf(await makeUser()), eventId, orderInput(typeId), 'http://t');
	if (r.kind !== 'checkout') throw new Error(`expected checkout, got ${r.kind}`);
	return r.order;
}

async function paid(eventId: number, typeId: number) {
	const order = await checkout(eventId, typeId);
	fake.pay(order.stripeSessionId!);
	expect(await deliver(fake.event('checkout.session.completed', order.stripeSessionId!))).toBe(
		'paid'
	);
	return order;
}

const orderById = async (id: number) =>
	(await db().select().from(schema.orders).where(eq(schema.orders.id, id)))[0];
const ticketOf = async (orderId: number) =>
	(await db().select().from(schema.tickets).where(eq(schema.tickets.orderId, orderId)))[0];

async function soldOutEvent(cap: number) {
	const { event, organiser } = await makeEvent({ capacity: cap });
	const type = await makeTicketType(organiser, event.id, { pricing: 'fixed', price: 1500 });
	return { event, organiser, type };
}

async function organiserMail(organiserId: number) {
	const [user] = await db().select().from(schema.users).where(eq(schema.users.id, organiserId));
	return db().select().from(schema.outbox).where(eq(schema.outbox.to, user.email));
}

describe('refunds and disputes made outside the app', () => {
	it('a refund in the Stripe dashboard voids the ticket, offers the seat, tells the organiser, once', async () => {
		const { event, organiser, type } = await soldOutEvent(1);
		const order = await paid(event.id, type.id);
		await joinWaitingList(null, event.id, {
			ticketTypeId: type.id,
			name: 'Next',
			email: `next-${event.id}@example.org`
		});
		const refunded = fake.objectEvent(
			'charge.refunded',
			fake.refundInDashboard(order.stripeSessionId!)
		);
		expect(await deliver(refunded)).toBe('refunded');
		expect(await deliver(refunded)).toBe('duplicate');
		expect((await orderById(order.id)).status).toBe('refunded');
		expect((await ticketOf(order.id)).status).toBe('cancelled');
		const seats = await seatFigures(event.id);
		expect([seats.sold, seats.offered, seats.taken]).toEqual([0, 1, 1]);
		const mail = await organiserMail(organiser.id);
		expect(mail.filter((x) => x.subject.includes(`order ${order.id}`))).toHaveLength(1);
	});

	it('a partial refund leaves the ticket valid', async () => {
		const { event, type } = await soldOutEvent(2);
		const order = await paid(event.id, type.id);
		const partial = fake.objectEvent(
			'charge.refunded',
			fake.refundInDashboard(order.stripeSessionId!, true)
		);
		expect(await deliver(partial)).toBe('unchanged');
		expect((await orderById(order.id)).status).toBe('paid');
		expect((await ticketOf(order.id)).status).toBe('valid');
	});

	it('a dispute that arrives before the payment event still ends with the ticket void', async () => {
		const { event, type } = await soldOutEvent(1);
		const order = await checkout(event.id, type.id);
		fake.pay(order.stripeSessionId!);
		const dispute = fake.objectEvent(
			'charge.dispute.created',
			fake.dispute(order.stripeSessionId!)
		);
		expect(await deliver(dispute)).toBe('disputed');
		expect(await deliver(fake.event('checkout.session.completed', order.stripeSessionId!))).toBe(
			'unchanged'
		);
		expect((await orderById(order.id)).status).toBe('disputed');
		expect((await ticketOf(order.id)).status).toBe('cancelled');
		expect((await seatFigures(event.id)).taken).toBe(0);
	});

	it('a refund the app made itself changes nothing more when Stripe reports it', async () => {
		const { event, organiser, type } = await soldOutEvent(1);
		const order = await paid(event.id, type.id);
		const { cancelOrder } = await import('../cancellations');
		await cancelOrder(organiser, event.id, order.id);
		const charge = fake.chargeOf(fake.sessions.get(order.stripeSessionId!)!.payment_intent)!;
		expect(charge.refunded).toBe(true);
		expect(await deliver(fake.objectEvent('charge.refunded', charge))).toBe('unchanged');
		expect((await seatFigures(event.id)).taken).toBe(0);
	});

	it('chaos: payments, refunds and disputes, each 1–3 times in random order', async () => {
		const cap = 8;
		const { event, type } = await soldOutEvent(cap);
		const orders: Order[] = [];
		for (let i = 0; i < cap; i++) orders.push(await checkout(event.id, type.id));
		for (let i = 0; i < 5; i++) {
			await joinWaitingList(null, event.id, {
				ticketTypeId: type.id,
				name: `Waiting ${i}`,
				email: `waiting-${i}-${event.id}@example.org`
			});
		}
		const deliveries: Signed[] = [];
		for (const order of orders) {
			const sid = order.stripeSessionId!;
			fake.pay(sid);
			deliveries.push(fake.event('checkout.session.completed', sid));
			const fate = Math.random();
			if (fate < 0.3) {
				deliveries.push(fake.objectEvent('charge.refunded', fake.refundInDashboard(sid)));
			} else if (fate < 0.55) {
				deliveries.push(fake.objectEvent('charge.dispute.created', fake.dispute(sid)));
			} else if (fate < 0.7) {
				deliveries.push(fake.objectEvent('charge.dispute.created', fake.dispute(sid)));
				deliveries.push(fake.objectEvent('charge.refunded', fake.refundInDashboard(sid)));
			}
		}
		const events = deliveries.flatMap((e) =>
			Array.from({ length: 1 + Math.floor(Math.random() * 3) }, () => e)
		);
		events.sort(() => Math.random() - 0.5);
		await Promise.all(events.map(deliver));

		const ids = orders.map((o) => o.id);
		const all = await db().select().from(schema.orders).where(inArray(schema.orders.id, ids));
		const tickets = await db()
			.select()
			.from(schema.tickets)
			.where(inArray(schema.tickets.orderId, ids));
		const valid = tickets.filter((t) => t.status === 'valid');
		const count = (status: string) => all.filter((o) => o.status === status).length;
		// Every payment ended as a ticket, a refund or a dispute: paid = issued + refunded + disputed.
		expect(valid.length + count('refunded') + count('disputed')).toBe(orders.length);
		expect(valid.length).toBe(count('paid'));
		expect(new Set(tickets.map((t) => t.orderId)).size).toBe(tickets.length);
		for (const order of all) {
			const charge = fake.chargeOf(fake.sessions.get(order.stripeSessionId!)!.payment_intent)!;
			if (!charge.refunded && !charge.disputed) expect(order.status).toBe('paid');
			else expect(['refunded', 'disputed']).toContain(order.status);
		}
		// Each freed seat went to the waiting list; the counter agrees with what holds a seat.
		const freed = orders.length - count('paid');
		const seats = await seatFigures(event.id);
		expect(seats.offered).toBe(Math.min(freed, 5));
		const [{ holding }] = await db()
			.select({ holding: sql<number>`count(*)::int` })
			.from(schema.orders)
			.where(and(eq(schema.orders.eventId, event.id), eq(schema.orders.holdsSeat, true)));
		expect(seats.taken).toBe(holding + seats.offered);
		// The organisers heard about each voided order once.
		const voided = all.filter((o) => o.status !== 'paid');
		const mail = await db()
			.select()
			.from(schema.outbox)
			.where(sql`${schema.outbox.subject} like ${'%order %'}`);
		for (const order of voided) {
			expect(
				mail.filter(
					(x) => x.subject.includes(`order ${order.id} `) || x.subject.endsWith(`order ${order.id}`)
				)
			).toHaveLength(1);
		}
	});
});
