import { eq, inArray, sql } from 'drizzle-orm';
import Stripe from 'stripe';
import { describe, expect, it } from 'vitest';
import { useTestDb } from '../../../../../tests/fixtures/db';
import {
	actorOf,
	makeEvent,
	makeTicketType,
	makeUser,
	orderInput
} from '../../../../../tests/fixtures/factories';
import { FAKE_WEBHOOK_SECRET } from '../../../../../tests/fixtures/fake-stripe';
import { useFakeStripe } from '../../../../../tests/fixtures/use-fake-stripe';
import { db, schema } from '../../db';
import { startOrder, type Order } from '../orders';
import { seatFigures } from '../ticketing';
import { sweep } from '../../core/sweeper';
import { BadSignature, handleStripeEvent, verifyWebhook } from './webhook';

useTestDb();

const fake = useFakeStripe();

/** Deliver a signed event through verification and handling, as the endpoint does. */
async function deliver(type: string, sessionId: string) {
	const { body, signature } = fake.event(type, sessionId);
	return handleStripeEvent(verifyWebhook(body, signature));
}

async function paidCheckout(eventId: number, typeId: number): Promise<Order> {
	const result = await startOrder(
		actorOf(await makeUser()),
		eventId,
		orderInput(typeId),
		'http://t'
	);
	if (result.kind !== 'checkout') throw new Error(`expected checkout, got ${result.kind}`);
	return result.order;
}

async function orderById(id: number) {
	const [order] = await db().select().from(schema.orders).where(eq(schema.orders.id, id));
	return order;
}

async function ticketsOf(orderIds: number[]) {
	return db().select().from(schema.tickets).where(inArray(schema.tickets.orderId, orderIds));
}

describe('Stripe webhooks', () => {
	it('issues the ticket only when the payment lands, once however often the event arrives', async () => {
		const { event, organiser } = await makeEvent();
		const type = await makeTicketType(organiser, event.id, { pricing: 'fixed', price: 2000 });
		const order = await paidCheckout(event.id, type.id);
		// The event says "completed" but Stripe still says unpaid: the event is only a trigger.
		expect(await deliver('checkout.session.completed', order.stripeSessionId!)).toBe('unchanged');
		expect(await ticketsOf([order.id])).toHaveLength(0);
		fake.pay(order.stripeSessionId!);
		const first = fake.event('checkout.session.completed', order.stripeSessionId!);
		expect(await handleStripeEvent(verifyWebhook(first.body, first.signature))).toBe('paid');
		expect(await handleStripeEvent(verifyWebhook(first.body, first.signature))).toBe('duplicate');
		expect(await deliver('checkout.session.async_payment_succeeded', order.stripeSessionId!)).toBe(
			'unchanged'
		);
		expect(await ticketsOf([order.id])).toHaveLength(1);
		expect((await orderById(order.id)).status).toBe('paid');
	});

	it('an expired session releases the seat; events it ignores answer quietly', async () => {
		const { event, organiser } = await makeEvent({ capacity: 1 });
		const type = await makeTicketType(organiser, event.id, { pricing: 'fixed', price: 2000 });
		const order = await paidCheckout(event.id, type.id);
		expect((await seatFigures(event.id)).remaining).toBe(0);
		fake.expire(order.stripeSessionId!);
		expect(await deliver('checkout.session.expired', order.stripeSessionId!)).toBe('released');
		expect((await seatFigures(event.id)).remaining).toBe(1);
		expect(await deliver('customer.created', order.stripeSessionId!)).toBe('ignored');
	});

	it('a late payment takes a seat again if one is free, else is refunded and the buyer told', async () => {
		const { event, organiser } = await makeEvent({ capacity: 1 });
		const type = await makeTicketType(organiser, event.id, { pricing: 'fixed', price: 2000 });
		const late = await paidCheckout(event.id, type.id);
		fake.expire(late.stripeSessionId!);
		await deliver('checkout.session.expired', late.stripeSessionId!);
		const other = await paidCheckout(event.id, type.id); // the seat went to someone else
		fake.pay(other.stripeSessionId!);
		await deliver('checkout.session.completed', other.stripeSessionId!);

		fake.pay(late.stripeSessionId!); // ...and then the first buyer's money arrives after all
		expect(await deliver('checkout.session.completed', late.stripeSessionId!)).toBe('refund');
		expect((await orderById(late.id)).status).toBe('refunded');
		expect(fake.refunds.map((r) => r.payment_intent)).toContain(
			fake.sessions.get(late.stripeSessionId!)!.payment_intent
		);
		expect(await ticketsOf([late.id])).toHaveLength(0);
		const mail = await db()
			.select()
			.from(schema.outbox)
			.where(eq(schema.outbox.to, late.attendeeEmail));
		expect(mail.map((m) => m.subject).join()).toMatch(/refund/i);
		expect((await seatFigures(event.id)).sold).toBe(1);
	});

	it('refuses a bad signature, a wrong secret and a stale timestamp', () => {
		const { body, signature } = fake.event(
			'checkout.session.completed',
			[...fake.sessions.keys()][0]
		);
		// One hex digit of the signature changed (always to a different one).
		const tampered = signature.replace(/v1=(.)/, (_, c: string) => `v1=${c === '0' ? '1' : '0'}`);
		expect(tampered).not.toBe(signature);
		expect(() => verifyWebhook(body, tampered)).toThrow(BadSignature);
		expect(() => verifyWebhook(body + ' ', signature)).toThrow(BadSignature);
		expect(() => verifyWebhook(body, null)).toThrow(BadSignature);
		const wrongSecret = Stripe.webhooks.generateTestHeaderString({
			payload: body,
			secret: 'whsec_other'
		});
		expect(() => verifyWebhook(body, wrongSecret)).toThrow(BadSignature);
		const stale = Stripe.webhooks.generateTestHeaderString({
			payload: body,
			secret: FAKE_WEBHOOK_SECRET,
			timestamp: Math.floor(Date.now() / 1000) - 3600
		});
		expect(() => verifyWebhook(body, stale)).toThrow(BadSignature);
	});

	it('chaos: every event 1–3 times in random order, with expiries and late payments', async () => {
		const cap = 6;
		const { event, organiser } = await makeEvent({ capacity: cap });
		const type = await makeTicketType(organiser, event.id, { pricing: 'fixed', price: 1000 });
		const orders: Order[] = [];
		for (let round = 0; round < 3; round++) {
			// Fill the event, then let some sessions pay, some expire, and some pay after expiring.
			while (true) {
				const r = await startOrder(
					actorOf(await makeUser()),
					event.id,
					orderInput(type.id),
					'http://t'
				);
				if (r.kind !== 'checkout') break;
				orders.push(r.order);
			}
			const deliveries: [string, string][] = [];
			for (const order of orders.slice(-cap)) {
				const sid = order.stripeSessionId!;
				const fate = Math.random();
				if (fate < 0.4) {
					fake.pay(sid);
					deliveries.push(['checkout.session.completed', sid]);
				} else if (fate < 0.8) {
					fake.expire(sid);
					deliveries.push(['checkout.session.expired', sid]);
				} else {
					fake.expire(sid);
					deliveries.push(['checkout.session.expired', sid]);
					fake.pay(sid);
					deliveries.push(['checkout.session.completed', sid]);
				}
			}
			const events = deliveries.flatMap(([type, sid]) => {
				const signed = fake.event(type, sid);
				return Array.from({ length: 1 + Math.floor(Math.random() * 3) }, () => signed);
			});
			events.sort(() => Math.random() - 0.5);
			await Promise.all(events.map((e) => handleStripeEvent(verifyWebhook(e.body, e.signature))));
		}
		await sweep(new Date(Date.now() + 3_600_000));

		const ids = orders.map((o) => o.id);
		const all = await db().select().from(schema.orders).where(inArray(schema.orders.id, ids));
		const tickets = await ticketsOf(ids);
		const paid = all.filter((o) => o.status === 'paid');
		// Orders paid = tickets issued; no order has two tickets; nothing is oversold.
		expect(tickets).toHaveLength(paid.length);
		expect(new Set(tickets.map((t) => t.orderId)).size).toBe(tickets.length);
		expect(paid.length).toBeLessThanOrEqual(cap);
		// Every order Stripe took money for ended with a ticket or a refund.
		for (const order of all) {
			const session = fake.sessions.get(order.stripeSessionId!)!;
			if (session.payment_status === 'paid') expect(['paid', 'refunded']).toContain(order.status);
			else expect(['expired', 'cancelled']).toContain(order.status);
		}
		const refunded = new Set(fake.refunds.map((r) => r.payment_intent));
		for (const order of all.filter((o) => o.status === 'refunded'))
			expect(refunded.has(order.stripePaymentIntent!)).toBe(true);
		// The counter agrees with the orders that hold a seat.
		const [{ holding }] = await db()
			.select({ holding: sql<number>`count(*)::int` })
			.from(schema.orders)
			.where(sql`${schema.orders.eventId} = ${event.id} and ${schema.orders.holdsSeat}`);
		expect((await seatFigures(event.id)).taken).toBe(holding);
	});
});
