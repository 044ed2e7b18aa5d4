import { and, eq, sql } from 'drizzle-orm';
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
import { useFakeStripe } from '../../../../tests/fixtures/use-fake-stripe';
import { inbox, orderAndConfirm } from '../../../../tests/fixtures/mailbox';
import { db, schema } from '../db';
import { releaseHold, startOrder } from './orders';
import { seatFigures, ticketTypesForSale } from './ticketing';

useTestDb({ poolSize: 20 });

const fake = useFakeStripe();

const ORIGIN = 'http://commonspace.test';

/** Distinct people: one person may hold only one ticket of an event by default. */
async function makeBuyers(n: number) {
	const o = schema.users;
	const rows = await db()
		.insert(o)
		.values(
			Array.from({ length: n }, (_, i) => ({
				email: `rush-${i}-${Math.random().toString(36).slice(2)}@example.org`,
				name: `Buyer ${i}`
			}))
		)
		.returning();
	return rows.map(actorOf);
}

async function counted(eventId: number) {
	const o = schema.orders;
	const [row] = await db()
		.select({
			holding: sql<number>`count(*) filter (where ${o.holdsSeat} and ${o.status} in ('held', 'paid'))::int`,
			tickets: sql<number>`(select count(*)::int from ${schema.tickets} t where t.event_id = ${eventId} and t.status = 'valid')`
		})
		.from(o)
		.where(eq(o.eventId, eventId));
	return row;
}

describe('no oversell', () => {
	// N buyers at once against cap C: exactly min(C, N) seats, every run.
	const cases: [number, number][] = [
		[2, 1],
		[50, 1],
		[50, 10],
		[500, 10],
		[500, 150]
	];
	for (const [buyers, cap] of cases) {
		it(`${buyers} concurrent buyers, cap ${cap}: exactly ${Math.min(cap, buyers)} tickets`, async () => {
			const { event, organiser } = await makeEvent({ capacity: cap });
			const type = await makeTicketType(organiser, event.id);
			const people = await makeBuyers(buyers);
			const results = await Promise.all(
				people.map((buyer) => startOrder(buyer, event.id, orderInput(type.id), ORIGIN))
			);
			const won = results.filter((r) => r.kind === 'ticket').length;
			expect(won).toBe(Math.min(cap, buyers));
			expect(results.filter((r) => r.kind === 'sold_out').length).toBe(buyers - won);
			expect(await counted(event.id)).toEqual({ holding: won, tickets: won });
			expect((await seatFigures(event.id)).taken).toBe(won);
		});
	}

	it('paid holds count against the cap while buyers pay', async () => {
		const { event, organiser } = await makeEvent({ capacity: 10 });
		const type = await makeTicketType(organiser, event.id, { pricing: 'fixed', price: 2500 });
		const results = await Promise.all(
			(await makeBuyers(40)).map((buyer) =>
				startOrder(buyer, event.id, orderInput(type.id), ORIGIN)
			)
		);
		expect(results.filter((r) => r.kind === 'checkout')).toHaveLength(10);
		const figures = await seatFigures(event.id);
		expect(figures).toMatchObject({ held: 10, sold: 0, remaining: 0 });
		const [forSale] = await ticketTypesForSale(event.id);
		expect(forSale.state).toBe('sold_out_for_now');
	});

	it('per-type quotas and the event cap hold at once', async () => {
		const { event, organiser } = await makeEvent({ capacity: 12 });
		const small = await makeTicketType(organiser, event.id, { name: 'Solidarity', quota: 5 });
		const big = await makeTicketType(organiser, event.id, { name: 'Standard', quota: 10 });
		const tries = [...Array(30).fill(small.id), ...Array(30).fill(big.id)].sort(
			() => Math.random() - 0.5
		);
		const buyers = await makeBuyers(tries.length);
		const results = await Promise.all(
			tries.map((id, i) => startOrder(buyers[i], event.id, orderInput(id), ORIGIN))
		);
		expect(results.filter((r) => r.kind === 'ticket')).toHaveLength(12);
		const tt = schema.ticketTypes;
		const [s] = await db().select().from(tt).where(eq(tt.id, small.id));
		const [b] = await db().select().from(tt).where(eq(tt.id, big.id));
		expect(s.seatsTaken).toBeLessThanOrEqual(5);
		expect(b.seatsTaken).toBeLessThanOrEqual(10);
		expect(s.seatsTaken + b.seatsTaken).toBe(12);
	});

	it.runIf(onPostgres())(
		'negative control: the same flow without the guarded UPDATE oversells',
		async () => {
			// Read the count, compare in JavaScript, write the new count: the classic lost update.
			const { event } = await makeEvent({ capacity: 10 });
			const t = schema.ticketing;
			const naive = () =>
				db().transaction(async (tx) => {
					const [{ taken }] = await tx
						.select({ taken: t.seatsTaken })
						.from(t)
						.where(eq(t.eventId, event.id));
					if (taken >= 10) return false;
					await tx.execute(sql`select pg_sleep(0.01)`);
					await tx
						.update(t)
						.set({ seatsTaken: taken + 1 })
						.where(eq(t.eventId, event.id));
					return true;
				});
			const sold = (await Promise.all(Array.from({ length: 50 }, naive))).filter(Boolean).length;
			expect(sold).toBeGreaterThan(10);
		}
	);
});

describe('buying', () => {
	it('a free ticket is issued at once to someone signed in, and mailed; the seat is taken', async () => {
		const { event, organiser } = await makeEvent();
		const type = await makeTicketType(organiser, event.id);
		const input = orderInput(type.id);
		const result = await startOrder(actorOf(await makeUser()), event.id, input, ORIGIN);
		expect(result.kind).toBe('ticket');
		const mails = await db()
			.select()
			.from(schema.outbox)
			.where(eq(schema.outbox.to, input.attendeeEmail));
		expect(mails.map((m) => m.subject)).toEqual([`Your ticket for ${event.name}`]);
		expect((await seatFigures(event.id)).taken).toBe(1);
	});

	it('someone not signed in is sent a link first, and gets the ticket by opening it', async () => {
		const { event, organiser } = await makeEvent();
		const type = await makeTicketType(organiser, event.id);
		const input = orderInput(type.id);
		const result = await orderAndConfirm(event.id, input, ORIGIN);
		expect(result.kind).toBe('ticket');
		const mails = await inbox(input.attendeeEmail);
		expect(mails.map((m) => m.subject)).toEqual([
			`Your ticket for ${event.name}`,
			`Confirm your ticket for ${event.name}`
		]);
	});

	it('a paid ticket opens a Checkout Session with an idempotency key and issues nothing yet', async () => {
		const { event, organiser } = await makeEvent();
		const type = await makeTicketType(organiser, event.id, { pricing: 'fixed', price: 1500 });
		const result = await startOrder(
			actorOf(await makeUser()),
			event.id,
			orderInput(type.id),
			ORIGIN
		);
		expect(result.kind).toBe('checkout');
		if (result.kind !== 'checkout') return;
		const session = fake.sessions.get(result.order.stripeSessionId!)!;
		expect(session.amount_total).toBe(1500);
		// Stripe requires at least 30 minutes; the hold outlives the session.
		expect(session.expires_at * 1000 - Date.now()).toBeGreaterThan(30 * 60_000);
		expect(result.order.holdExpiresAt!.getTime()).toBeGreaterThan(session.expires_at * 1000);
		const tickets = await db()
			.select()
			.from(schema.tickets)
			.where(eq(schema.tickets.orderId, result.order.id));
		expect(tickets).toHaveLength(0);
	});

	it('pay-what-you-can takes an amount within the range, and refuses one outside it', async () => {
		const { event, organiser } = await makeEvent();
		const type = await makeTicketType(organiser, event.id, {
			pricing: 'pay_what_you_can',
			minPrice: 500,
			suggestedPrice: 2000,
			maxPrice: 5000
		});
		const buyer = actorOf(await makeUser());
		const low = await domainError(() =>
			startOrder(buyer, event.id, orderInput(type.id, { amount: 100 }), ORIGIN)
		);
		expect(low.fields.amount).toContain('5.00');
		const ok = await startOrder(buyer, event.id, orderInput(type.id, { amount: 1200 }), ORIGIN);
		expect(ok.kind === 'checkout' && ok.order.amountCents).toBe(1200);
	});

	it('a hidden type needs its access code; a closed sales window refuses', async () => {
		const { event, organiser } = await makeEvent();
		const hidden = await makeTicketType(organiser, event.id, {
			name: 'Speaker',
			accessCode: 'SPEAK-2027'
		});
		const buyer = actorOf(await makeUser());
		expect((await ticketTypesForSale(event.id)).map((t) => t.name)).not.toContain('Speaker');
		expect((await ticketTypesForSale(event.id, 'speak-2027')).map((t) => t.name)).toContain(
			'Speaker'
		);
		const wrong = await domainError(() =>
			startOrder(buyer, event.id, orderInput(hidden.id, { accessCode: 'nope' }), ORIGIN)
		);
		expect(wrong.fields.accessCode).toBe(m.error_access_code_wrong());
		expect(
			(
				await startOrder(
					buyer,
					event.id,
					orderInput(hidden.id, { accessCode: 'speak-2027' }),
					ORIGIN
				)
			).kind
		).toBe('ticket');

		const ended = await makeTicketType(organiser, event.id, {
			name: 'Early',
			salesStart: '2020-01-01T09:00',
			salesEnd: '2020-02-01T09:00'
		});
		const closed = await domainError(() =>
			startOrder(buyer, event.id, orderInput(ended.id), ORIGIN)
		);
		expect(closed.fields.ticketTypeId).toBe(m.error_not_on_sale());
	});

	it('a ticket type of another event is refused', async () => {
		const a = await makeEvent();
		const b = await makeEvent();
		const foreign = await makeTicketType(b.organiser, b.event.id);
		const e = await domainError(() => startOrder(null, a.event.id, orderInput(foreign.id), ORIGIN));
		expect(e.fields.ticketTypeId).toBe(m.error_not_in_event());
	});

	it('when Stripe refuses to open checkout, the hold is released and the buyer told', async () => {
		const { event, organiser } = await makeEvent({ capacity: 1 });
		const type = await makeTicketType(organiser, event.id, { pricing: 'fixed', price: 1000 });
		const buyer = actorOf(await makeUser());
		fake.failNextCreates = 5; // more than the client's retries
		const e = await domainError(() => startOrder(buyer, event.id, orderInput(type.id), ORIGIN));
		fake.failNextCreates = 0;
		expect(e.kind).toBe('conflict');
		expect((await seatFigures(event.id)).remaining).toBe(1);
	});

	it('without STRIPE_SECRET_KEY paid types are unavailable and free ones still sell', async () => {
		const { event, organiser } = await makeEvent();
		const paid = await makeTicketType(organiser, event.id, { pricing: 'fixed', price: 1000 });
		const free = await makeTicketType(organiser, event.id, { name: 'Free' });
		const key = process.env.STRIPE_SECRET_KEY;
		delete process.env.STRIPE_SECRET_KEY;
		try {
			const states = Object.fromEntries(
				(await ticketTypesForSale(event.id)).map((t) => [t.id, t.state])
			);
			expect(states).toEqual({ [paid.id]: 'no_payments', [free.id]: 'on_sale' });
			const e = await domainError(() => startOrder(null, event.id, orderInput(paid.id), ORIGIN));
			expect(e.fields.ticketTypeId).toBe(m.error_payments_off());
			expect((await orderAndConfirm(event.id, orderInput(free.id), ORIGIN)).kind).toBe('ticket');
		} finally {
			process.env.STRIPE_SECRET_KEY = key;
		}
	});

	it('releasing a hold frees its seat exactly once', async () => {
		const { event, organiser } = await makeEvent({ capacity: 1 });
		const type = await makeTicketType(organiser, event.id, { pricing: 'fixed', price: 1000 });
		const r = await startOrder(actorOf(await makeUser()), event.id, orderInput(type.id), ORIGIN);
		if (r.kind !== 'checkout') throw new Error('expected checkout');
		const releases = await Promise.all([
			releaseHold(r.order.id, 'expired'),
			releaseHold(r.order.id, 'cancelled')
		]);
		expect(releases.filter(Boolean)).toHaveLength(1);
		expect((await seatFigures(event.id)).remaining).toBe(1);
		const [order] = await db()
			.select()
			.from(schema.orders)
			.where(and(eq(schema.orders.id, r.order.id)));
		expect(order.holdsSeat).toBe(false);
	});
});
