import { and, eq, inArray, sql } from 'drizzle-orm';
import type { PgColumn } from 'drizzle-orm/pg-core';
import * as v from 'valibot';
import type { EventRole } from '$lib/constants';
import { m } from '$lib/paraglide/messages';
import { eventSchema } from '$lib/schemas/events';
import { logActivity } from '../core/activity';
import { config } from '../core/config';
import { randomString } from '../auth/tokens';
import { createInvites, mailInvite } from '../people/team';
import { requireUser, type Actor } from '../auth/guards';
import { db, schema, type Db, type Tx } from '../db';
import { isDomainError, invalid } from '../core/errors';
import type { Event } from '../events/events';
import { rowsOf, type DocRow, type EventDocument } from './format';
import { readDocument } from './read';
import { EVENT_INFO, PEOPLE, SECTION_INFO, type SectionInfo, type Translate } from './sections';
import { requireEventCreator } from '../people/event-creators';
import { demandOf } from '../agenda/grid';

const CHUNK = 500;
const slugSchema = eventSchema.pipe[0].entries.slug;

/**
 * Re-create an exported event on this instance. Anyone who may start an event may import one;
 * they become one of its organisers. The file is checked whole before anything is written, and
 * everything is written in one transaction, so a refused file changes nothing.
 */
export async function importEvent(
	actor: Actor,
	input: unknown,
	options: { slug?: string; origin?: string } = {}
): Promise<Event> {
	await requireEventCreator(actor);
	requireUser(actor);
	const doc = await readDocument(input);
	const slug = v.safeParse(slugSchema, options.slug || (doc.event.slug as string));
	if (!slug.success) throw invalid({ slug: slug.issues[0].message });
	await refuseIfHere(db(), doc, slug.output);
	let written: Awaited<ReturnType<typeof writeEvent>>;
	try {
		written = await db().transaction((tx) => writeEvent(tx, doc, slug.output, actor.id));
	} catch (e) {
		if (isDomainError(e)) throw e;
		throw databaseRefusal(e);
	}
	const origin = options.origin ?? config.origin;
	for (const invite of written.invites) await mailInvite(written.event.name, invite, origin);
	return written.event;
}

/** The slug, the tickets' check-in codes and Stripe sessions must all be free on this instance. */
async function refuseIfHere(q: Db | Tx, doc: EventDocument, slug: string) {
	const [taken] = await q
		.select({ id: schema.events.id })
		.from(schema.events)
		.where(eq(schema.events.slug, slug));
	if (taken) throw invalid({ slug: m.error_slug_taken() });
	const tickets = rowsOf(doc, info('tickets')).map((t) => t.code as string);
	const sessions = rowsOf(doc, info('orders'))
		.map((o) => o.stripeSessionId as string | null)
		.filter((s): s is string => s !== null);
	if (
		(await anyExists(q, schema.tickets.code, tickets)) ||
		(await anyExists(q, schema.orders.stripeSessionId, sessions))
	) {
		throw invalid({ file: m.tr_error_tickets_exist() }, m.tr_error_tickets_exist());
	}
}

async function anyExists(q: Db | Tx, column: PgColumn, values: string[]) {
	for (let i = 0; i < values.length; i += CHUNK) {
		const found = await q
			.select({ value: column })
			.from(column.table)
			.where(inArray(column, values.slice(i, i + CHUNK)))
			.limit(1);
		if (found.length) return true;
	}
	return false;
}

async function writeEvent(tx: Tx, doc: EventDocument, slug: string, importerId: number) {
	const maps = new Map<string, Map<number, number>>();
	maps.set(PEOPLE, await placeholderPeople(tx, doc));
	const t: Translate = (target, ref) => maps.get(target)?.get(ref) ?? null;

	const [event] = await tx
		.insert(schema.events)
		.values({
			...(fromDoc(EVENT_INFO, doc.event, t, 0) as typeof schema.events.$inferInsert),
			slug
		})
		.onConflictDoNothing()
		.returning();
	if (!event) throw invalid({ slug: m.error_slug_taken() });

	await recordPlaceholders(tx, doc, event.id, maps.get(PEOPLE)!);

	let rows = 0;
	for (const section of SECTION_INFO) {
		const docRows = rowsOf(doc, section);
		rows += docRows.length;
		// A role is never granted by a file: the person is invited and accepts it themselves.
		if (section.key === TEAM) continue;
		const ids = new Map<number, number>();
		maps.set(section.key, ids);
		for (let i = 0; i < docRows.length; i += CHUNK) {
			const chunk = docRows.slice(i, i + CHUNK);
			const values = chunk.map((r) => fromDoc(section, r, t, event.id));
			const query = tx.insert(section.table).values(values);
			if (!section.hasId) {
				await query;
				continue;
			}
			// Identity values follow the order of the rows, so they line up with the document's.
			const inserted = (await query.returning()) as { id: number }[];
			inserted.forEach((row, j) => ids.set(chunk[j].id as number, row.id));
		}
		await linkWithinSection(tx, section, docRows, t);
	}
	await tx
		.insert(schema.eventRoles)
		.values({ eventId: event.id, userId: importerId, role: 'organiser' })
		.onConflictDoNothing();
	await recountSeats(tx, event.id);
	await recountDots(tx, event.id);
	await recountVersions(tx, event.id);
	await recountExpected(tx, event.id);
	const invites = await createInvites(
		tx,
		event.id,
		importerId,
		teamInvites(doc),
		'team.invited_on_import'
	);
	await logActivity(tx, {
		eventId: event.id,
		actorId: importerId,
		action: 'event.imported',
		data: { name: event.name, from: doc.event.slug, people: doc.people.length, rows }
	});
	return { event, invites };
}

/**
 * One placeholder person per person of the document. A file can name anyone's address, so it
 * is never matched to an account here: the placeholder has an address under the reserved
 * `.invalid` domain and no password, so nobody can sign in as it.
 */
async function placeholderPeople(tx: Tx, doc: EventDocument) {
	const u = schema.users;
	const ids = new Map<number, number>();
	for (let i = 0; i < doc.people.length; i += CHUNK) {
		const chunk = doc.people.slice(i, i + CHUNK);
		const values = chunk.map((p) => ({
			email: `imported-${randomString(20).toLowerCase()}@placeholder.invalid`,
			name: m.tr_imported_participant({ name: p.name.trim() }).trim(),
			passwordHash: null
		}));
		const inserted = await tx.insert(u).values(values).returning({ id: u.id });
		inserted.forEach((row, j) => ids.set(chunk[j].ref, row.id));
	}
	return ids;
}

/** Which placeholders this event brought in, so its organisers can send claim links for them. */
async function recordPlaceholders(
	tx: Tx,
	doc: EventDocument,
	eventId: number,
	people: Map<number, number>
) {
	const values = doc.people.map((p) => ({
		eventId,
		userId: people.get(p.ref)!,
		name: p.name.trim()
	}));
	for (let i = 0; i < values.length; i += CHUNK) {
		await tx.insert(schema.placeholders).values(values.slice(i, i + CHUNK));
	}
}

const TEAM = 'team';

/** The file's team as invitations to the addresses it names, one per address and role. */
function teamInvites(doc: EventDocument) {
	const emails = new Map(doc.people.map((p) => [p.ref, p.email.toLowerCase()]));
	const seen = new Set<string>();
	const list: { email: string; role: EventRole }[] = [];
	for (const row of rowsOf(doc, info(TEAM))) {
		const email = emails.get(row.userId as number);
		const role = row.role as EventRole;
		if (!email || seen.has(`${email} ${role}`)) continue;
		seen.add(`${email} ${role}`);
		list.push({ email, role });
	}
	return list;
}

/**
 * The seat counters from the imported rows, never from the file: an order counts while it holds
 * a seat or has a valid ticket, and a waiting-list offer holds one until it is used or expires.
 */
async function recountSeats(tx: Tx, eventId: number) {
	const o = schema.orders;
	const t = schema.tickets;
	const w = schema.waitingList;
	const tt = schema.ticketTypes;
	await tx
		.update(o)
		.set({ holdsSeat: true })
		.where(
			and(
				eq(o.eventId, eventId),
				sql`exists (select 1 from ${t} where ${t.orderId} = ${o.id} and ${t.status} = 'valid')`
			)
		);
	await tx
		.update(tt)
		.set({
			seatsTaken: sql`(select count(*)::int from ${o} where ${o.ticketTypeId} = ${tt.id} and ${o.holdsSeat})
				+ (select count(*)::int from ${w} where ${w.ticketTypeId} = ${tt.id} and ${w.status} = 'offered')`
		})
		.where(eq(tt.eventId, eventId));
	await tx
		.update(schema.ticketing)
		.set({
			seatsTaken: sql`(select coalesce(sum(${tt.seatsTaken}), 0)::int from ${tt} where ${tt.eventId} = ${eventId})`
		})
		.where(eq(schema.ticketing.eventId, eventId));
}

/** Every dot budget is what its holder placed in the round, whatever the file says. */
async function recountDots(tx: Tx, eventId: number) {
	const b = schema.dotBudgets;
	const d = schema.dots;
	const rounds = tx
		.select({ id: schema.rounds.id })
		.from(schema.rounds)
		.where(eq(schema.rounds.eventId, eventId));
	await tx
		.update(b)
		.set({
			used: sql`(select coalesce(sum(${d.count}), 0)::int from ${d} where ${d.roundId} = ${b.roundId} and ${d.userId} = ${b.userId})`
		})
		.where(inArray(b.roundId, rounds));
	const placed = await tx
		.select({ roundId: d.roundId, userId: d.userId, used: sql<number>`sum(${d.count})::int` })
		.from(d)
		.where(inArray(d.roundId, rounds))
		.groupBy(d.roundId, d.userId);
	for (let i = 0; i < placed.length; i += CHUNK) {
		await tx
			.insert(b)
			.values(placed.slice(i, i + CHUNK))
			.onConflictDoNothing();
	}
}

/** Each proposal's version is its newest history row, so the next edit joins the history. */
async function recountVersions(tx: Tx, eventId: number) {
	const p = schema.proposals;
	const pv = schema.proposalVersions;
	await tx
		.update(p)
		.set({
			version: sql`(select coalesce(max(${pv.version}), 1)::int from ${pv} where ${pv.proposalId} = ${p.id})`
		})
		.where(eq(p.eventId, eventId));
}

/** The people a session expects, from the imported dots and "I'd come" marks (as the planner counts). */
async function recountExpected(tx: Tx, eventId: number) {
	const s = schema.agendaSessions;
	const sessions = await tx
		.select({ id: s.id, proposalId: s.proposalId })
		.from(s)
		.where(eq(s.eventId, eventId));
	const demand = await demandOf(
		tx,
		sessions.map((x) => x.proposalId)
	);
	for (const session of sessions) {
		await tx
			.update(s)
			.set({ expected: demand.get(session.proposalId)!.expected })
			.where(eq(s.id, session.id));
	}
}

function fromDoc(section: SectionInfo, row: DocRow, t: Translate, eventId: number) {
	const out: Record<string, unknown> = {};
	for (const c of section.columns) {
		const value = row[c.key];
		if (c.ref === 'event') out[c.key] = eventId;
		else if (c.key === 'id') continue;
		else if (value === null) out[c.key] = null;
		// A row pointing into its own section is linked once the whole section is written.
		else if (c.ref === section.key) out[c.key] = null;
		else if (c.ref) out[c.key] = t(c.ref, value as number);
		else if (c.json?.renumber) out[c.key] = c.json.renumber(value as never, t);
		else if (c.column.columnType === 'PgTimestamp') out[c.key] = new Date(value as string);
		else out[c.key] = value;
	}
	for (const [key, make] of Object.entries(section.fresh ?? {})) out[key] = make();
	return out;
}

async function linkWithinSection(tx: Tx, section: SectionInfo, rows: DocRow[], t: Translate) {
	const self = section.columns.filter((c) => c.ref === section.key);
	if (!self.length) return;
	const id = section.columns.find((c) => c.key === 'id')!.column;
	for (const row of rows) {
		for (const c of self) {
			if (row[c.key] === null) continue;
			await tx
				.update(section.table)
				.set({ [c.key]: t(section.key, row[c.key] as number) })
				.where(eq(id, t(section.key, row.id as number)!));
		}
	}
}

const info = (key: string) => SECTION_INFO.find((s) => s.key === key)!;

/** A database rule the checks above did not foresee: said plainly, with the rule's name. */
function databaseRefusal(e: unknown) {
	const cause = (e as { cause?: unknown }).cause ?? e;
	const c = cause as { constraint_name?: string; constraint?: string; message?: string };
	const rule = c.constraint_name ?? c.constraint ?? '';
	const message =
		rule === 'tickets_code_key' || rule === 'orders_stripe_session_key'
			? m.tr_error_tickets_exist()
			: m.tr_error_database({ rule: rule || (c.message ?? '').slice(0, 200) });
	return invalid({ file: message }, message);
}
