import { eq, inArray } from 'drizzle-orm';
import type { PgColumn } from 'drizzle-orm/pg-core';
import * as v from 'valibot';
import { m } from '$lib/paraglide/messages';
import { eventSchema } from '$lib/schemas/events';
import { logActivity } from '../core/activity';
import { requireUser, type Actor } from '../auth/guards';
import { db, schema, type Db, type Tx } from '../db';
import { isDomainError, invalid } from '../core/errors';
import type { Event } from '../events/events';
import { rowsOf, type DocRow, type EventDocument } from './format';
import { readDocument } from './read';
import { EVENT_INFO, PEOPLE, SECTION_INFO, type SectionInfo, type Translate } from './sections';
import { requireEventCreator } from '../people/event-creators';

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
	options: { slug?: string } = {}
): Promise<Event> {
	await requireEventCreator(actor);
	requireUser(actor);
	const doc = await readDocument(input);
	const slug = v.safeParse(slugSchema, options.slug || (doc.event.slug as string));
	if (!slug.success) throw invalid({ slug: slug.issues[0].message });
	await refuseIfHere(db(), doc, slug.output);
	try {
		return await db().transaction((tx) => writeEvent(tx, doc, slug.output, actor.id));
	} catch (e) {
		if (isDomainError(e)) throw e;
		throw databaseRefusal(e);
	}
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
	maps.set(PEOPLE, await matchPeople(tx, doc));
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

	let rows = 0;
	for (const section of SECTION_INFO) {
		const docRows = rowsOf(doc, section);
		rows += docRows.length;
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
	await logActivity(tx, {
		eventId: event.id,
		actorId: importerId,
		action: 'event.imported',
		data: { name: event.name, from: doc.event.slug, people: doc.people.length, rows }
	});
	return event;
}

/** The accounts of the document's people: matched by e-mail, or made without a password. */
async function matchPeople(tx: Tx, doc: EventDocument) {
	const u = schema.users;
	const byEmail = new Map<string, number>();
	const emails = doc.people.map((p) => p.email.toLowerCase());
	for (let i = 0; i < emails.length; i += CHUNK) {
		const found = await tx
			.select({ id: u.id, email: u.email })
			.from(u)
			.where(inArray(u.email, emails.slice(i, i + CHUNK)));
		for (const f of found) byEmail.set(f.email, f.id);
	}
	const missing = doc.people.filter((p) => !byEmail.has(p.email.toLowerCase()));
	for (let i = 0; i < missing.length; i += CHUNK) {
		const values = missing
			.slice(i, i + CHUNK)
			.map((p) => ({ email: p.email.toLowerCase(), name: p.name }));
		for (const row of await tx.insert(u).values(values).returning({ id: u.id, email: u.email })) {
			byEmail.set(row.email, row.id);
		}
	}
	return new Map(doc.people.map((p) => [p.ref, byEmail.get(p.email.toLowerCase())!]));
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
