import { and, eq, sql } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { onPostgres, useTestDb } from '../../../../tests/fixtures/db';
import { domainError } from '../../../../tests/fixtures/domain-error';
import { actorOf, grantRole, makeEvent, makeUser } from '../../../../tests/fixtures/factories';
import { inbox } from '../../../../tests/fixtures/mailbox';
import { richEvent } from '../../../../tests/fixtures/transfer';
import { db, schema } from '../db';
import { acceptClaim, describeClaim, listPlaceholders, sendClaim } from './claims';
import { exportEvent } from './export';
import type { EventDocument } from './format';
import { importEvent } from './import';

useTestDb({ poolSize: 12 });

type Rows = Record<string, unknown>[];
let doc: EventDocument;
let organiser: NonNullable<Awaited<ReturnType<typeof actorOf>>>;
let copies = 0;

beforeAll(async () => {
	const rich = await richEvent();
	doc = await exportEvent(rich.organiser, rich.event.id);
	await db().delete(schema.events).where(eq(schema.events.id, rich.event.id));
	organiser = actorOf(await makeUser({ name: 'Importer' }));
});

/** A fresh import of the rich event (tickets left out unless asked: they are unique here). */
async function imported(opts: { tickets?: boolean } = {}) {
	const file: EventDocument = JSON.parse(JSON.stringify(doc));
	if (!opts.tickets) {
		file.orders = [];
		file.tickets = [];
		file.waitingList = [];
	}
	return importEvent(organiser, JSON.stringify(file), { slug: `claimed-${++copies}` });
}

/** The placeholder who convenes the proposal titled `title` in the event. */
async function placeholderOf(eventId: number, title = 'Shared servers!') {
	const [row] = await db()
		.select({ placeholder: schema.placeholders })
		.from(schema.placeholders)
		.innerJoin(schema.conveners, eq(schema.conveners.userId, schema.placeholders.userId))
		.innerJoin(schema.proposals, eq(schema.proposals.id, schema.conveners.proposalId))
		.where(and(eq(schema.placeholders.eventId, eventId), eq(schema.proposals.title, title)));
	return row.placeholder;
}

const tokenFor = async (email: string) => {
	const [mail] = await inbox(email);
	return mail.text.match(/\/claim\/([a-z0-9]+)/)![1];
};

async function claimLink(eventId: number, placeholderId: number, email: string) {
	await sendClaim(organiser, eventId, { placeholderId, email }, 'http://t');
	return tokenFor(email);
}

/** Every row of the event's sections naming `userId`, by table: a fingerprint of what they hold. */
async function held(userId: number) {
	const rows = await db().execute(sql`
		select 'conveners' as t, count(*)::int as n from conveners where user_id = ${userId}
		union all select 'comments', count(*)::int from proposal_comments where author_id = ${userId}
		union all select 'items', count(*)::int from harvest_items where created_by = ${userId}
		union all select 'dots', coalesce(sum(count), 0)::int from dots where user_id = ${userId}
		union all select 'proposals', count(*)::int from proposals where created_by = ${userId}
		union all select 'tickets', count(*)::int from tickets where holder_id = ${userId}`);
	const list = (Array.isArray(rows) ? rows : (rows as unknown as { rows: Rows }).rows) as {
		t: string;
		n: number;
	}[];
	return Object.fromEntries(list.map((r) => [r.t, r.n]));
}

describe('claiming an imported participant', () => {
	it('shows the placeholders to the organiser and moves them only on acceptance', async () => {
		const event = await imported();
		const list = await listPlaceholders(organiser, event.id);
		expect(list.length).toBe(doc.people.length);
		const placeholder = await placeholderOf(event.id);
		const before = await held(placeholder.userId!);
		expect(before.conveners).toBeGreaterThan(0);

		const person = actorOf(await makeUser({ name: 'Ana Real', email: 'ana@real.example' }));
		const token = await claimLink(event.id, placeholder.id, 'ana@real.example');
		// Sent and shown, not accepted: nothing is the account's yet.
		const shown = await describeClaim(person, token);
		if (shown.done) throw new Error('not accepted yet');
		expect(shown.holds.proposals).toBe(before.conveners);
		expect(shown.holds.comments).toBe(before.comments);
		expect(await held(person.id)).toEqual(
			Object.fromEntries(Object.keys(before).map((k) => [k, 0]))
		);
		expect(
			(await listPlaceholders(organiser, event.id)).find((p) => p.id === placeholder.id)
		).toMatchObject({ pending: [{ email: 'ana@real.example' }] });

		const { eventSlug } = await acceptClaim(person, token);
		expect(eventSlug).toBe(event.slug);
		expect(await held(person.id)).toEqual(before);
		const [gone] = await db()
			.select()
			.from(schema.users)
			.where(eq(schema.users.id, placeholder.userId!));
		expect(gone).toBeUndefined();
		const [after] = await db()
			.select()
			.from(schema.placeholders)
			.where(eq(schema.placeholders.id, placeholder.id));
		expect(after).toMatchObject({ claimedBy: person.id, userId: null });
		expect((await listPlaceholders(organiser, event.id)).map((p) => p.id)).not.toContain(
			placeholder.id
		);
		const log = await db()
			.select()
			.from(schema.activity)
			.where(
				and(
					eq(schema.activity.eventId, event.id),
					eq(schema.activity.action, 'placeholder.claimed')
				)
			);
		expect(log).toHaveLength(1);
		expect(log[0].actorId).toBe(person.id);

		expect(await describeClaim(person, token)).toMatchObject({ done: true });
		const stranger = actorOf(await makeUser());
		expect((await domainError(() => describeClaim(stranger, token))).kind).toBe('not_found');
		// Single use: the link is spent.
		const again = await domainError(() => acceptClaim(person, token));
		expect(again.kind).toBe('not_found');
	});

	it('refuses a placeholder of another event, non-organisers and an expired link', async () => {
		const event = await imported();
		const other = await makeEvent();
		const placeholder = await placeholderOf(event.id);
		const wrongEvent = await domainError(() =>
			sendClaim(
				other.organiser,
				other.event.id,
				{ placeholderId: placeholder.id, email: 'x@real.example' },
				'http://t'
			)
		);
		expect(wrongEvent.kind).toBe('not_found');
		const facilitator = await makeUser();
		await grantRole(event.id, facilitator.id, 'facilitator');
		const refused = await domainError(() =>
			sendClaim(
				actorOf(facilitator),
				event.id,
				{ placeholderId: placeholder.id, email: 'x@real.example' },
				'http://t'
			)
		);
		expect(refused.kind).toBe('forbidden');
		expect(await inbox('x@real.example')).toHaveLength(0);

		const token = await claimLink(event.id, placeholder.id, 'late@real.example');
		await db()
			.update(schema.placeholderClaims)
			.set({ expiresAt: new Date(Date.now() - 1000) })
			.where(eq(schema.placeholderClaims.email, 'late@real.example'));
		const late = actorOf(await makeUser({ email: 'late@real.example' }));
		expect((await domainError(() => acceptClaim(late, token))).kind).toBe('not_found');
		expect(await held(late.id)).toMatchObject({ conveners: 0, dots: 0 });
	});

	it('keeps the account’s own ticket and stays within the dot budget and per-proposal limit', async () => {
		const event = await imported({ tickets: true });
		const [ticket] = await db()
			.select()
			.from(schema.tickets)
			.where(and(eq(schema.tickets.eventId, event.id), eq(schema.tickets.status, 'valid')));
		const holder = ticket.holderId!;
		const [placeholder] = await db()
			.select()
			.from(schema.placeholders)
			.where(eq(schema.placeholders.userId, holder));
		// The account already holds a ticket of the event, and has spent its dots in the round.
		const person = actorOf(await makeUser({ email: 'both@real.example' }));
		const [otherTicket] = await db()
			.select()
			.from(schema.tickets)
			.where(
				and(eq(schema.tickets.eventId, event.id), sql`${schema.tickets.holderId} <> ${holder}`)
			);
		await db()
			.update(schema.tickets)
			.set({ holderId: person.id, status: 'valid' })
			.where(eq(schema.tickets.id, otherTicket.id));
		const [seatsBefore] = await db()
			.select()
			.from(schema.ticketing)
			.where(eq(schema.ticketing.eventId, event.id));

		const proposal = await db()
			.select()
			.from(schema.proposals)
			.where(eq(schema.proposals.eventId, event.id));
		const [round] = await db()
			.select()
			.from(schema.rounds)
			.where(eq(schema.rounds.id, proposal.at(-1)!.roundId));
		// The placeholder holds dots in the round too.
		await db()
			.insert(schema.dots)
			.values({ roundId: round.id, proposalId: proposal.at(-1)!.id, userId: holder, count: 1 })
			.onConflictDoNothing();
		await db()
			.insert(schema.dots)
			.values({
				roundId: round.id,
				proposalId: proposal.at(-1)!.id,
				userId: person.id,
				count: round.perProposalLimit
			});
		await db()
			.insert(schema.dotBudgets)
			.values({ roundId: round.id, userId: person.id, used: round.perProposalLimit });

		const token = await claimLink(event.id, placeholder.id, 'both@real.example');
		await acceptClaim(person, token);

		const mine = await db()
			.select()
			.from(schema.tickets)
			.where(and(eq(schema.tickets.eventId, event.id), eq(schema.tickets.holderId, person.id)));
		expect(mine.map((t) => t.id)).toEqual([otherTicket.id]);
		const [seatsAfter] = await db()
			.select()
			.from(schema.ticketing)
			.where(eq(schema.ticketing.eventId, event.id));
		expect(seatsAfter.seatsTaken).toBe(seatsBefore.seatsTaken);

		const dots = await db()
			.select()
			.from(schema.dots)
			.where(and(eq(schema.dots.roundId, round.id), eq(schema.dots.userId, person.id)));
		for (const d of dots) expect(d.count).toBeLessThanOrEqual(round.perProposalLimit);
		const used = dots.reduce((n, d) => n + d.count, 0);
		expect(used).toBeLessThanOrEqual(round.dotBudget);
		const [budget] = await db()
			.select()
			.from(schema.dotBudgets)
			.where(and(eq(schema.dotBudgets.roundId, round.id), eq(schema.dotBudgets.userId, person.id)));
		expect(budget.used).toBe(used);
	});

	it('lets exactly one of many simultaneous accepts win', async () => {
		const event = await imported();
		const placeholder = await placeholderOf(event.id);
		const n = onPostgres() ? 8 : 3;
		const people = await Promise.all(
			Array.from({ length: n }, (_, i) => makeUser({ email: `race${i}@real.example` }))
		);
		const tokens: string[] = [];
		for (const p of people) tokens.push(await claimLink(event.id, placeholder.id, p.email));
		// Each person accepts their own link, and also the first link, all at once.
		const attempts = people.flatMap((p, i) => [
			acceptClaim(actorOf(p), tokens[i]),
			acceptClaim(actorOf(p), tokens[0])
		]);
		const results = await Promise.allSettled(attempts);
		expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
		const [after] = await db()
			.select()
			.from(schema.placeholders)
			.where(eq(schema.placeholders.id, placeholder.id));
		const winner = after.claimedBy!;
		expect(people.map((p) => p.id)).toContain(winner);
		for (const p of people) {
			const h = await held(p.id);
			expect(h.conveners > 0).toBe(p.id === winner);
		}
	});

	it('would let several win with a read-then-write check (negative control)', async () => {
		if (!onPostgres()) return expect(onPostgres()).toBe(false);
		const event = await imported();
		const placeholder = await placeholderOf(event.id);
		const people = await Promise.all(Array.from({ length: 8 }, () => makeUser()));
		const p = schema.placeholders;
		// Every transaction has read before any writes: the interleaving a busy server allows.
		let arrived = 0;
		let release!: () => void;
		const allRead = new Promise<void>((r) => (release = r));
		const won = await Promise.all(
			people.map((person) =>
				db().transaction(async (tx) => {
					const [row] = await tx.select().from(p).where(eq(p.id, placeholder.id));
					if (++arrived === people.length) release();
					await allRead;
					if (row.claimedAt) return false;
					await tx
						.update(p)
						.set({ claimedAt: new Date(), claimedBy: person.id })
						.where(eq(p.id, placeholder.id));
					return true;
				})
			)
		);
		expect(won.filter(Boolean).length).toBeGreaterThan(1);
	});
});
