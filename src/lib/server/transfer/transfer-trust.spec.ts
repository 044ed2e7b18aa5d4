import { and, eq, inArray, sql } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { m } from '$lib/paraglide/messages';
import { useTestDb } from '../../../../tests/fixtures/db';
import { domainError } from '../../../../tests/fixtures/domain-error';
import { ticketHolder } from '../../../../tests/fixtures/agenda';
import {
	actorOf,
	makeEvent,
	makeTicketType,
	makeUser,
	orderInput
} from '../../../../tests/fixtures/factories';
import { richEvent } from '../../../../tests/fixtures/transfer';
import { db, schema } from '../db';
import { startOrder } from '../tickets/orders';
import { exportEvent } from './export';
import type { EventDocument } from './format';
import { importEvent } from './import';
import { editProposal } from '../marketplace/proposals';
import { demandOf } from '../agenda/grid';
import { isDomainError } from '../core/errors';
import { proposalInput } from '../../../../tests/fixtures/marketplace';

useTestDb();

type Rows = Record<string, unknown>[];
const copyOf = (doc: EventDocument): EventDocument => JSON.parse(JSON.stringify(doc));

describe('an import speaks for nobody on this instance', () => {
	let rich: Awaited<ReturnType<typeof richEvent>>;
	let doc: EventDocument;
	let importer: NonNullable<Awaited<ReturnType<typeof actorOf>>>;
	let imported: { id: number };
	let here: { id: number; email: string }[];

	beforeAll(async () => {
		rich = await richEvent();
		doc = await exportEvent(rich.organiser, rich.event.id);
		here = await db().select({ id: schema.users.id, email: schema.users.email }).from(schema.users);
		// The file names people who have accounts here; someone else imports it as a new event.
		await db().delete(schema.events).where(eq(schema.events.id, rich.event.id));
		importer = actorOf(await makeUser({ name: 'Importer' }));
		imported = await importEvent(importer, JSON.stringify(doc), { slug: 'someone-elses-copy' });
	});

	it('attaches no contribution to an existing account: each person of the file is a placeholder', async () => {
		const existing = here.map((u) => u.id);
		const e = imported.id;
		const touched = await Promise.all([
			db()
				.select({ id: schema.proposals.createdBy })
				.from(schema.proposals)
				.where(eq(schema.proposals.eventId, e)),
			db()
				.select({ id: schema.conveners.userId })
				.from(schema.conveners)
				.innerJoin(schema.proposals, eq(schema.proposals.id, schema.conveners.proposalId))
				.where(eq(schema.proposals.eventId, e)),
			db()
				.select({ id: schema.proposalComments.authorId })
				.from(schema.proposalComments)
				.where(eq(schema.proposalComments.eventId, e)),
			db()
				.select({ id: schema.harvestItems.createdBy })
				.from(schema.harvestItems)
				.where(eq(schema.harvestItems.eventId, e)),
			db()
				.select({ id: schema.directoryEntries.userId })
				.from(schema.directoryEntries)
				.where(eq(schema.directoryEntries.eventId, e)),
			db()
				.select({ id: schema.talks.submitterId })
				.from(schema.talks)
				.where(eq(schema.talks.eventId, e)),
			db()
				.select({ id: schema.tickets.holderId })
				.from(schema.tickets)
				.where(eq(schema.tickets.eventId, e))
		]);
		const ids = [...new Set(touched.flat().map((r) => r.id))].filter(
			(id): id is number => id !== null
		);
		expect(ids.length).toBeGreaterThan(3);
		expect(ids.filter((id) => existing.includes(id))).toEqual([]);
		const people = await db().select().from(schema.users).where(inArray(schema.users.id, ids));
		for (const person of people) {
			expect(person.passwordHash).toBeNull();
			expect(person.email).toMatch(/\.invalid$/);
			expect(person.name).toContain(m.tr_imported_participant({ name: '' }).trim());
		}
		// One placeholder per person of the file, none shared with another import.
		const placeholders = await db()
			.select({ n: sql<number>`count(*)::int` })
			.from(schema.users)
			.where(sql`${schema.users.email} like '%.invalid'`);
		expect(placeholders[0].n).toBe(doc.people.length);
	});

	it('grants no team role from the file: the team gets pending invitations instead', async () => {
		const roles = await db()
			.select()
			.from(schema.eventRoles)
			.where(eq(schema.eventRoles.eventId, imported.id));
		expect(roles.map((r) => [r.userId, r.role])).toEqual([[importer.id, 'organiser']]);
		const invites = await db()
			.select()
			.from(schema.invites)
			.where(eq(schema.invites.eventId, imported.id));
		const facilitatorEmail = here.find((u) => u.id === rich.facilitator.id)!.email;
		expect(invites.map((i) => [i.email, i.role])).toContainEqual([facilitatorEmail, 'facilitator']);
		expect(invites.every((i) => i.acceptedAt === null && i.invitedBy === importer.id)).toBe(true);
	});

	it('recomputes dot budgets from the dots, whatever the file says', async () => {
		const tampered = copyOf(doc);
		for (const b of tampered.dotBudgets as Rows) b.used = 0;
		for (const t of tampered.ticketTypes as Rows) t.seatsTaken = 0;
		tampered.orders = [];
		tampered.tickets = [];
		tampered.waitingList = [];
		const copy = await importEvent(importer, JSON.stringify(tampered), { slug: 'dots-copy' });
		const budgets = await db()
			.select({ used: schema.dotBudgets.used, roundId: schema.dotBudgets.roundId })
			.from(schema.dotBudgets)
			.innerJoin(schema.rounds, eq(schema.rounds.id, schema.dotBudgets.roundId))
			.where(eq(schema.rounds.eventId, copy.id));
		const [placed] = await db()
			.select({ n: sql<number>`coalesce(sum(${schema.dots.count}), 0)::int` })
			.from(schema.dots)
			.innerJoin(schema.rounds, eq(schema.rounds.id, schema.dots.roundId))
			.where(eq(schema.rounds.eventId, copy.id));
		expect(placed.n).toBeGreaterThan(0);
		expect(budgets.reduce((n, b) => n + b.used, 0)).toBe(placed.n);
	});
});

describe('an import never trusts the seat counters of its file', () => {
	/** An event of capacity 1 with its one ticket sold, exported with its counters set to 0. */
	async function fullEventFile() {
		const { event, organiser } = await makeEvent({ capacity: 1 });
		const type = await makeTicketType(organiser, event.id);
		await ticketHolder(event.id, type.id);
		const doc = await exportEvent(organiser, event.id);
		await db().delete(schema.events).where(eq(schema.events.id, event.id));
		(doc.ticketing as Record<string, unknown>).seatsTaken = 0;
		for (const t of doc.ticketTypes as Rows) t.seatsTaken = 0;
		expect((doc.tickets as Rows).filter((t) => t.status === 'valid')).toHaveLength(1);
		return { doc, organiser };
	}

	async function orderOne(eventId: number) {
		const [type] = await db()
			.select()
			.from(schema.ticketTypes)
			.where(eq(schema.ticketTypes.eventId, eventId));
		const buyer = await makeUser();
		return startOrder(
			actorOf(buyer),
			eventId,
			orderInput(type.id, { attendeeEmail: buyer.email }),
			'http://t'
		);
	}

	const validTickets = async (eventId: number) =>
		(
			await db()
				.select()
				.from(schema.tickets)
				.where(and(eq(schema.tickets.eventId, eventId), eq(schema.tickets.status, 'valid')))
		).length;

	it('counts the imported ticket, so a further order is refused', async () => {
		const { doc, organiser } = await fullEventFile();
		const event = await importEvent(organiser, JSON.stringify(doc));
		const [ticketing] = await db()
			.select()
			.from(schema.ticketing)
			.where(eq(schema.ticketing.eventId, event.id));
		expect(ticketing.seatsTaken).toBe(1);
		const result = await orderOne(event.id).catch((e) => e);
		expect(result).toEqual({ kind: 'sold_out' });
		expect(await validTickets(event.id)).toBe(1);
	});

	it('would oversell with the counters the file claims (negative control)', async () => {
		const { doc, organiser } = await fullEventFile();
		const event = await importEvent(organiser, JSON.stringify(doc));
		// What the import used to store: the file's own counter.
		await db()
			.update(schema.ticketing)
			.set({ seatsTaken: 0 })
			.where(eq(schema.ticketing.eventId, event.id));
		await db()
			.update(schema.ticketTypes)
			.set({ seatsTaken: 0 })
			.where(eq(schema.ticketTypes.eventId, event.id));
		const result = await orderOne(event.id);
		expect(result.kind).toBe('ticket');
		expect(await validTickets(event.id)).toBe(2);
	});
});

describe('imported text is checked like typed text', () => {
	async function smallFile() {
		const { event, organiser } = await makeEvent();
		const doc = await exportEvent(organiser, event.id);
		await db().delete(schema.events).where(eq(schema.events.id, event.id));
		return { doc, organiser };
	}

	it('refuses raw HTML in a Markdown text', async () => {
		const { doc, organiser } = await smallFile();
		doc.event.description = 'Hello <img src=x onerror=alert(1)>';
		const e = await domainError(() => importEvent(organiser, JSON.stringify(doc)));
		expect(e.fields.file).toContain('event.description');
	});

	it('refuses a javascript: link in a Markdown text', async () => {
		const { doc, organiser } = await smallFile();
		doc.event.description = '[Claim](javascript:alert(1))';
		const e = await domainError(() => importEvent(organiser, JSON.stringify(doc)));
		expect(e.fields.file).toContain('event.description');
	});

	it('refuses a carriage return in a one-line text and control characters anywhere', async () => {
		const { doc, organiser } = await smallFile();
		for (const [key, value] of [
			['name', 'Evil\rX-INJECT:1'],
			['venue', 'Hall\u0007'],
			['description', 'ok\u0000']
		]) {
			const bad = copyOf(doc);
			bad.event[key] = value;
			const e = await domainError(() => importEvent(organiser, JSON.stringify(bad)));
			expect(e.fields.file, key).toContain(`event.${key}`);
		}
	});

	it('refuses markup in a person’s name', async () => {
		const { doc, organiser } = await smallFile();
		doc.people[0].name = '<b>Boss</b>';
		const e = await domainError(() => importEvent(organiser, JSON.stringify(doc)));
		expect(e.fields.file).toContain('people');
	});

	it('imports line breaks in a description as LF', async () => {
		const { doc, organiser } = await smallFile();
		doc.event.description = 'One\r\nTwo';
		const event = await importEvent(organiser, JSON.stringify(doc));
		expect(event.description).toBe('One\nTwo');
	});
});

describe('an import recomputes proposal versions and expected head-counts from its rows', () => {
	let rich: Awaited<ReturnType<typeof richEvent>>;
	let doc: EventDocument;

	beforeAll(async () => {
		rich = await richEvent();
		doc = await exportEvent(rich.organiser, rich.event.id);
		await db().delete(schema.events).where(eq(schema.events.id, rich.event.id));
	});

	/** The file with every proposal claiming version 1 and every session 999 people. */
	function lyingFile() {
		const lying = copyOf(doc);
		for (const p of lying.proposals as Rows) p.version = 1;
		for (const s of lying.agendaSessions as Rows) s.expected = 999;
		// Tickets are unique to an instance; this file is imported twice.
		lying.orders = [];
		lying.tickets = [];
		lying.waitingList = [];
		return lying;
	}

	async function importedProposal(eventId: number, title: string) {
		// Back to proposing, where conveners edit.
		await db()
			.update(schema.rounds)
			.set({ phase: 'proposing' })
			.where(eq(schema.rounds.eventId, eventId));
		const [proposal] = await db()
			.select()
			.from(schema.proposals)
			.where(and(eq(schema.proposals.eventId, eventId), eq(schema.proposals.title, title)));
		return proposal;
	}

	const owner = async (proposalId: number) => {
		const [c] = await db()
			.select({ userId: schema.conveners.userId })
			.from(schema.conveners)
			.where(eq(schema.conveners.proposalId, proposalId));
		return { id: c.userId, isAdmin: false };
	};

	it('sets each version to its newest history row, so the next edit is accepted', async () => {
		const event = await importEvent(rich.organiser, JSON.stringify(lyingFile()), {
			slug: 'versions-recounted'
		});
		const edited = await importedProposal(event.id, 'Shared servers!');
		expect(edited.version).toBe(2);
		// Placeholders cannot sign in; the edit is made in their name to reach the version check.
		const next = await editProposal(await owner(edited.id), event.id, edited.id, {
			...proposalInput('Shared servers, again'),
			version: 2
		});
		expect(next.version).toBe(3);
		const sessions = await db()
			.select()
			.from(schema.agendaSessions)
			.where(eq(schema.agendaSessions.eventId, event.id));
		expect(sessions.length).toBeGreaterThan(0);
		const demand = await demandOf(
			db(),
			sessions.map((s) => s.proposalId)
		);
		for (const s of sessions) {
			expect(s.expected).toBe(demand.get(s.proposalId)!.expected);
			expect(s.expected).toBeLessThan(999);
		}
	});

	it('would break the next edit with the version the file claims (negative control)', async () => {
		const event = await importEvent(rich.organiser, JSON.stringify(lyingFile()), {
			slug: 'versions-trusted'
		});
		const edited = await importedProposal(event.id, 'Shared servers!');
		// What trusting the file stores: version 1 while the history already holds version 2.
		await db()
			.update(schema.proposals)
			.set({ version: 1 })
			.where(eq(schema.proposals.id, edited.id));
		const error = await editProposal(await owner(edited.id), event.id, edited.id, {
			...proposalInput('Shared servers, again'),
			version: 1
		}).catch((e) => e);
		expect(error).toBeInstanceOf(Error);
		expect(isDomainError(error)).toBe(false);
	});
});
