import { count, eq, sql } from 'drizzle-orm';
import * as v from 'valibot';
import { describe, expect, it } from 'vitest';
import { m } from '$lib/paraglide/messages';
import { ticketTypeSchema } from '$lib/schemas/tickets';
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
import { confirmationToken, inbox, orderAndConfirm } from '../../../../tests/fixtures/mailbox';
import { LIMITS } from '../auth/rate-limit';
import { DomainError } from '../core/errors';
import { db, schema } from '../db';
import { requestPasswordReset, requestSignInLink } from '../people/users';
import { describeOrderRequest, waitByLink } from './order-requests';
import { confirmOrder, orderTicket, releaseHold, startOrder, type StartResult } from './orders';
import { takeSeat } from './seats';
import { seatFigures } from './ticketing';

// Ticket hoarding: anonymous orders hold nothing until the address is confirmed, one person
// holds only so many seats (paid holds included), and the order form and the mail it causes
// are limited per client and per address, in the database, without shutting out a venue's
// worth of people behind one NAT address.

useTestDb({ poolSize: 20 });

useFakeStripe();

const ORIGIN = 'http://commonspace.test';
let clients = 0;
/** A client address of its own per test, so one test's counts never limit another's. */
const newClient = () => `203.0.113.${++clients}`;

async function rows(table: typeof schema.users | typeof schema.tickets | typeof schema.orders) {
	const [row] = await db().select({ n: count() }).from(table);
	return row.n;
}

async function ticketsOf(eventId: number) {
	return db().select().from(schema.tickets).where(eq(schema.tickets.eventId, eventId));
}

async function requestsOf(eventId: number) {
	const r = schema.orderRequests;
	return db().select().from(r).where(eq(r.eventId, eventId));
}

/** Sort settled results into what came back and which domain errors were thrown. */
function outcomes(settled: PromiseSettledResult<StartResult>[]) {
	const done = settled.flatMap((s) => (s.status === 'fulfilled' ? [s.value] : []));
	const errors = settled.flatMap((s) => {
		if (s.status === 'fulfilled') return [];
		if (s.reason instanceof DomainError) return [s.reason];
		throw s.reason;
	});
	return {
		done,
		errors,
		kinds: (kind: StartResult['kind']) => done.filter((d) => d.kind === kind)
	};
}

describe('ordering without signing in', () => {
	it('300 orders from one client for a 50-seat free type take no seat and make no account', async () => {
		const { event, organiser } = await makeEvent({ capacity: 50 });
		const type = await makeTicketType(organiser, event.id);
		const client = newClient();
		const users = await rows(schema.users);
		const settled = await Promise.allSettled(
			Array.from({ length: 300 }, () =>
				orderTicket(null, event.id, orderInput(type.id), { origin: ORIGIN, client })
			)
		);
		const { errors, kinds } = outcomes(settled);
		// The client's ceiling, to the request; the rest are told to wait.
		expect(kinds('confirm')).toHaveLength(LIMITS.orderPerIp.max);
		expect(errors).toHaveLength(300 - LIMITS.orderPerIp.max);
		expect(errors.every((e) => e.kind === 'rate_limited')).toBe(true);
		// Nothing is held until someone opens their mail.
		expect(kinds('ticket')).toHaveLength(0);
		expect((await seatFigures(event.id)).taken).toBe(0);
		expect(await ticketsOf(event.id)).toHaveLength(0);
		expect(await rows(schema.users)).toBe(users);
		expect(await requestsOf(event.id)).toHaveLength(LIMITS.orderPerIp.max);
	}, 240_000);

	it('300 orders for one address: five mails reach the inbox, and the person gets one ticket', async () => {
		const { event, organiser } = await makeEvent({ capacity: 50 });
		const type = await makeTicketType(organiser, event.id);
		const email = 'victim@example.org';
		const client = newClient();
		const settled = await Promise.allSettled(
			Array.from({ length: 300 }, () =>
				orderTicket(null, event.id, orderInput(type.id, { attendeeEmail: email }), {
					origin: ORIGIN,
					client
				})
			)
		);
		const { errors, kinds } = outcomes(settled);
		expect(kinds('confirm')).toHaveLength(LIMITS.mailPerAddress.max);
		// Past the address's order limit: wait; past the mail cap: use the link you have.
		const waitAWhile = errors.filter((e) => e.kind === 'rate_limited');
		const useYourLink = errors.filter((e) => e.kind === 'invalid');
		expect(waitAWhile).toHaveLength(300 - LIMITS.orderPerEmail.max);
		expect(useYourLink).toHaveLength(LIMITS.orderPerEmail.max - LIMITS.mailPerAddress.max);
		expect(useYourLink.every((e) => e.fields.attendeeEmail === m.error_mail_cap())).toBe(true);
		expect(await inbox(email)).toHaveLength(LIMITS.mailPerAddress.max);
		// One request per address and event: of the five links, only the one that replaced the
		// others works (which one that is depends on which order committed last), and only once.
		expect(await requestsOf(event.id)).toHaveLength(1);
		const links = (await inbox(email)).map((mail) => mail.text.match(/confirm\/([a-z0-9]+)/)![1]);
		const answers = [];
		for (const token of links) {
			answers.push(
				await confirmOrder(event.id, token, ORIGIN).then(
					(confirmed) => confirmed.result.kind,
					(e: DomainError) => e.kind
				)
			);
		}
		expect(answers.filter((kind) => kind === 'ticket')).toHaveLength(1);
		expect(answers.filter((kind) => kind === 'not_found')).toHaveLength(links.length - 1);
		expect(await ticketsOf(event.id)).toHaveLength(1);
		// The ticket mail follows the person's own click, so the cap does not hold it back.
		expect((await inbox(email))[0].subject).toMatch(/ticket/i);

		// Signed in by the link, the person is at the limit: told next to the e-mail field.
		const holder = actorOf(
			(await db().select().from(schema.users).where(eq(schema.users.email, email)))[0]
		);
		const again = await domainError(() =>
			startOrder(holder, event.id, orderInput(type.id, { attendeeEmail: email }), ORIGIN)
		);
		expect(again.fields).toEqual({ attendeeEmail: m.error_one_per_person() });
	});

	it('150 people behind one client address all get their ticket once they confirm', async () => {
		const { event, organiser } = await makeEvent({ capacity: 150 });
		const type = await makeTicketType(organiser, event.id);
		const client = newClient();
		const inputs = Array.from({ length: 150 }, () => orderInput(type.id));
		const asked = await Promise.all(
			inputs.map((input) => orderTicket(null, event.id, input, { origin: ORIGIN, client }))
		);
		expect(asked.every((a) => a.kind === 'confirm')).toBe(true);
		const confirmed = await Promise.all(
			inputs.map(async (input) =>
				confirmOrder(event.id, (await confirmationToken(input.attendeeEmail))!, ORIGIN)
			)
		);
		expect(confirmed.filter((c) => c.result.kind === 'ticket')).toHaveLength(150);
		expect(await ticketsOf(event.id)).toHaveLength(150);
		expect((await seatFigures(event.id)).taken).toBe(150);
	}, 240_000);

	it('the link makes the account and the ticket once; reading it spends nothing', async () => {
		const { event, organiser } = await makeEvent();
		const type = await makeTicketType(organiser, event.id);
		const input = orderInput(type.id);
		expect(await startOrder(null, event.id, input, ORIGIN)).toEqual({
			kind: 'confirm',
			email: input.attendeeEmail,
			paid: false
		});
		const token = (await confirmationToken(input.attendeeEmail))!;
		expect((await describeOrderRequest(event.id, token))?.attendeeName).toBe(input.attendeeName);
		expect(await describeOrderRequest(event.id, token)).not.toBeNull();
		const account = () =>
			db().select().from(schema.users).where(eq(schema.users.email, input.attendeeEmail));
		expect(await account()).toHaveLength(0);
		// Another event's page cannot use the link.
		const other = await makeEvent();
		expect(await describeOrderRequest(other.event.id, token)).toBeNull();

		const clicks = await Promise.allSettled(
			Array.from({ length: 3 }, () => confirmOrder(event.id, token, ORIGIN))
		);
		const done = clicks.flatMap((c) => (c.status === 'fulfilled' ? [c.value] : []));
		expect(done).toHaveLength(1);
		expect(clicks.filter((c) => c.status === 'rejected')).toHaveLength(2);
		const [user] = await account();
		expect(done[0].holderId).toBe(user.id);
		const [ticket] = await ticketsOf(event.id);
		expect(ticket.holderId).toBe(user.id);
		expect(await requestsOf(event.id)).toHaveLength(0);
	});

	it('a paid ticket goes to the payment only after the address is confirmed', async () => {
		const { event, organiser } = await makeEvent({ capacity: 5 });
		const type = await makeTicketType(organiser, event.id, { pricing: 'fixed', price: 2000 });
		const input = orderInput(type.id);
		const asked = await startOrder(null, event.id, input, ORIGIN);
		expect(asked).toMatchObject({ kind: 'confirm', paid: true });
		expect((await seatFigures(event.id)).held).toBe(0);
		const token = (await confirmationToken(input.attendeeEmail))!;
		const { result, holderId } = await confirmOrder(event.id, token, ORIGIN);
		expect(result.kind).toBe('checkout');
		if (result.kind !== 'checkout') return;
		expect(result.order).toMatchObject({ status: 'held', buyerId: holderId, amountCents: 2000 });
		expect((await seatFigures(event.id)).held).toBe(1);
	});

	it('when the event filled up first, the link offers the waiting list instead', async () => {
		const { event, organiser } = await makeEvent({ capacity: 1 });
		const type = await makeTicketType(organiser, event.id);
		const late = orderInput(type.id);
		expect((await startOrder(null, event.id, late, ORIGIN)).kind).toBe('confirm');
		const first = actorOf(await makeUser());
		expect((await startOrder(first, event.id, orderInput(type.id), ORIGIN)).kind).toBe('ticket');

		const token = (await confirmationToken(late.attendeeEmail))!;
		expect(await confirmOrder(event.id, token, ORIGIN)).toEqual({
			result: { kind: 'sold_out' },
			holderId: null
		});
		expect((await describeOrderRequest(event.id, token))?.soldOut).toBe(true);
		expect(await waitByLink(event.id, token)).toBe(late.attendeeEmail);
		const w = schema.waitingList;
		const [waiting] = await db().select().from(w).where(eq(w.email, late.attendeeEmail));
		expect(waiting).toMatchObject({ status: 'waiting', name: late.attendeeName });
		expect(await describeOrderRequest(event.id, token)).toBeNull();
	});
});

describe('one person, so many tickets', () => {
	it('a second order by the same person is refused next to the e-mail field', async () => {
		const { event, organiser } = await makeEvent();
		const type = await makeTicketType(organiser, event.id);
		const buyer = await makeUser();
		const me = actorOf(buyer);
		const mine = orderInput(type.id, { attendeeEmail: buyer.email });
		expect((await startOrder(me, event.id, mine, ORIGIN)).kind).toBe('ticket');

		const again = await domainError(() => startOrder(me, event.id, mine, ORIGIN));
		expect(again.fields).toEqual({ attendeeEmail: m.error_one_per_person() });
		// Buying for made-up addresses counts against the buyer...
		const forOther = await domainError(() => startOrder(me, event.id, orderInput(type.id), ORIGIN));
		expect(forOther.fields.attendeeEmail).toBe(m.error_one_per_person());
		// ...and a gift counts against the address it is for.
		const friend = actorOf(await makeUser());
		const gift = await domainError(() => startOrder(friend, event.id, mine, ORIGIN));
		expect(gift.fields.attendeeEmail).toBe(m.error_one_per_person());
		// Confirmed by mail, the same address is still the same person.
		const byMail = await domainError(() =>
			orderAndConfirm(event.id, orderInput(type.id, { attendeeEmail: buyer.email }))
		);
		expect(byMail.fields.attendeeEmail).toBe(m.error_one_per_person());
		expect(await ticketsOf(event.id)).toHaveLength(1);
	});

	for (const perPerson of [1, 3]) {
		it(`one person ordering 50 times at once gets exactly ${perPerson}`, async () => {
			const { event, organiser } = await makeEvent();
			const type = await makeTicketType(organiser, event.id, { perPerson });
			const me = actorOf(await makeUser());
			const { errors, kinds } = outcomes(
				await Promise.allSettled(
					Array.from({ length: 50 }, () => startOrder(me, event.id, orderInput(type.id), ORIGIN))
				)
			);
			expect(kinds('ticket')).toHaveLength(perPerson);
			expect(errors).toHaveLength(50 - perPerson);
			expect(errors.every((e) => e.fields.attendeeEmail !== undefined)).toBe(true);
			expect((await seatFigures(event.id)).taken).toBe(perPerson);
		});
	}

	it('a paid hold counts against the limit until it lapses', async () => {
		const { event, organiser } = await makeEvent();
		const paid = await makeTicketType(organiser, event.id, { pricing: 'fixed', price: 1500 });
		const free = await makeTicketType(organiser, event.id, { name: 'Free' });
		const me = actorOf(await makeUser());
		const held = await startOrder(me, event.id, orderInput(paid.id), ORIGIN);
		expect(held.kind).toBe('checkout');
		if (held.kind !== 'checkout') return;
		for (const type of [paid, free]) {
			const e = await domainError(() => startOrder(me, event.id, orderInput(type.id), ORIGIN));
			expect(e.fields.attendeeEmail).toBe(m.error_one_per_person());
		}
		expect((await seatFigures(event.id)).held).toBe(1);
		await releaseHold(held.order.id, 'expired');
		expect((await startOrder(me, event.id, orderInput(free.id), ORIGIN)).kind).toBe('ticket');
	});

	it('organisers set the limit per ticket type, from 1 to 20', () => {
		const issues = (perPerson: string) => {
			const r = v.safeParse(ticketTypeSchema, {
				name: 'Family',
				pricing: 'free',
				perPerson
			});
			return r.success ? r.output.perPerson : v.flatten(r.issues).nested?.perPerson;
		};
		expect(issues('')).toBe(1);
		expect(issues('4')).toBe(4);
		expect(issues('0')).toEqual([m.error_range({ min: 1, max: 20 })]);
		expect(issues('21')).toEqual([m.error_range({ min: 1, max: 20 })]);
		expect(issues('two')).toEqual([m.error_whole_number()]);
	});

	it.runIf(onPostgres())(
		'negative control: counting before the seat is locked lets one person through several times',
		async () => {
			const { event, organiser } = await makeEvent();
			const type = await makeTicketType(organiser, event.id);
			const me = await makeUser();
			const o = schema.orders;
			// The person's orders counted first, the seat taken after: the lock comes too late.
			const naive = () =>
				db().transaction(async (tx) => {
					const [{ n }] = await tx
						.select({ n: count() })
						.from(o)
						.where(sql`${o.eventId} = ${event.id} and ${o.buyerId} = ${me.id}`);
					if (n >= 1) return false;
					await tx.execute(sql`select pg_sleep(0.01)`);
					await takeSeat(tx, event.id, type.id);
					await tx.insert(o).values({
						eventId: event.id,
						ticketTypeId: type.id,
						buyerId: me.id,
						attendeeName: 'Me',
						attendeeEmail: me.email,
						answers: { dietary: '', access: '', publicName: '' },
						amountCents: 0,
						currency: 'EUR',
						status: 'paid'
					});
					return true;
				});
			const got = (await Promise.all(Array.from({ length: 20 }, naive))).filter(Boolean).length;
			expect(got).toBeGreaterThan(1);
		}
	);
});

describe('mail to one address', () => {
	it('links and confirmations: five an hour go out, the rest are refused next to the field', async () => {
		const person = await makeUser();
		const { event, organiser } = await makeEvent();
		const type = await makeTicketType(organiser, event.id);
		await requestSignInLink(person.email, ORIGIN);
		await requestSignInLink(person.email, ORIGIN);
		await requestPasswordReset(person.email, ORIGIN);
		const order = orderInput(type.id, { attendeeEmail: person.email });
		expect((await startOrder(null, event.id, order, ORIGIN)).kind).toBe('confirm');
		await requestSignInLink(person.email, ORIGIN);

		const link = await domainError(() => requestSignInLink(person.email, ORIGIN));
		expect(link.fields).toEqual({ email: m.error_mail_cap() });
		const reset = await domainError(() => requestPasswordReset(person.email, ORIGIN));
		expect(reset.fields).toEqual({ email: m.error_mail_cap() });
		const ordered = await domainError(() => startOrder(null, event.id, order, ORIGIN));
		expect(ordered.fields).toEqual({ attendeeEmail: m.error_mail_cap() });

		const mails = await inbox(person.email);
		expect(mails).toHaveLength(LIMITS.mailPerAddress.max);
		// The first is still the first: nothing sent was taken back.
		expect(mails.at(-1)!.text).toContain('/signin/link/');
		// The order held back left the mailed link working.
		expect(
			(await confirmOrder(event.id, (await confirmationToken(person.email))!, ORIGIN)).result.kind
		).toBe('ticket');
		// Another address is not affected.
		const other = await makeUser();
		await requestSignInLink(other.email, ORIGIN);
		expect(await inbox(other.email)).toHaveLength(1);
		expect(await rows(schema.orders)).toBeGreaterThan(0);
	});
});
