import { eq, inArray } from 'drizzle-orm';
import { requireEventPermission, type Actor } from '../auth/guards';
import { db, schema, type Tx } from '../db';
import { notFound } from '../core/errors';
import { FORMAT, type DocRow, type EventDocument } from './format';
import { EVENT_INFO, PEOPLE, SECTION_INFO, type SectionInfo, type Translate } from './sections';

type DbRow = Record<string, unknown>;
const CHUNK = 1000;

/** The whole event as a document another Commonspace instance can import. */
export async function exportEvent(actor: Actor, eventId: number): Promise<EventDocument> {
	await requireEventPermission(actor, eventId, 'event.export');
	// One snapshot, so rows written while the export runs never leave a dangling reference.
	return db().transaction((tx) => readEvent(tx, eventId), {
		isolationLevel: 'repeatable read',
		accessMode: 'read only'
	});
}

async function readEvent(tx: Tx, eventId: number): Promise<EventDocument> {
	const [event] = await tx.select().from(schema.events).where(eq(schema.events.id, eventId));
	if (!event) throw notFound();
	const raw = new Map<string, DbRow[]>();
	for (const section of SECTION_INFO)
		raw.set(section.key, await readSection(tx, section, raw, eventId));

	// Document ids: 1..n per section in the order of the database ids.
	const maps = new Map<string, Map<number, number>>();
	for (const section of SECTION_INFO.filter((s) => s.hasId)) {
		const rows = raw.get(section.key)!.sort((a, b) => (a.id as number) - (b.id as number));
		maps.set(section.key, new Map(rows.map((r, i) => [r.id as number, i + 1])));
	}
	const people = await readPeople(tx, event, raw);
	maps.set(PEOPLE, new Map(people.map((p) => [p.id, p.ref])));
	const t: Translate = (target, id) => maps.get(target)?.get(id) ?? null;

	const doc: EventDocument = {
		format: FORMAT,
		event: toDoc(EVENT_INFO, event, t),
		people: people.map(({ ref, name, email }) => ({ ref, name, email }))
	};
	for (const section of SECTION_INFO) {
		const rows = raw.get(section.key)!.map((r) => toDoc(section, r, t));
		if (!section.hasId) rows.sort(byKey(section));
		doc[section.key] = section.single ? (rows[0] ?? null) : rows;
	}
	return doc;
}

async function readSection(
	tx: Tx,
	section: SectionInfo,
	raw: Map<string, DbRow[]>,
	eventId: number
) {
	const owner = section.columns.find((c) => c.ref === 'event');
	if (owner)
		return (await tx.select().from(section.table).where(eq(owner.column, eventId))) as DbRow[];
	const parent = section.parent!;
	const parentIds = raw.get(parent.ref!)!.map((r) => r.id as number);
	const rows: DbRow[] = [];
	for (let i = 0; i < parentIds.length; i += CHUNK) {
		const chunk = parentIds.slice(i, i + CHUNK);
		rows.push(
			...((await tx.select().from(section.table).where(inArray(parent.column, chunk))) as DbRow[])
		);
	}
	return rows;
}

/** Everyone the event's rows name, numbered in e-mail order (the same on every instance). */
async function readPeople(tx: Tx, event: DbRow, raw: Map<string, DbRow[]>) {
	const ids = new Set<number>();
	const collect: Translate = (target, id) => {
		if (target === PEOPLE) ids.add(id);
		return id;
	};
	for (const [section, rows] of [
		[EVENT_INFO, [event]] as const,
		...SECTION_INFO.map((s) => [s, raw.get(s.key)!] as const)
	]) {
		for (const row of rows) {
			for (const c of section.columns) {
				const value = row[c.key];
				if (value === null || value === undefined) continue;
				if (c.ref === PEOPLE) ids.add(value as number);
				else if (c.json?.renumber) c.json.renumber(value as never, collect);
			}
		}
	}
	const all = [...ids];
	const users: { id: number; name: string; email: string }[] = [];
	for (let i = 0; i < all.length; i += CHUNK) {
		users.push(
			...(await tx
				.select({ id: schema.users.id, name: schema.users.name, email: schema.users.email })
				.from(schema.users)
				.where(inArray(schema.users.id, all.slice(i, i + CHUNK))))
		);
	}
	users.sort((a, b) => (a.email < b.email ? -1 : a.email > b.email ? 1 : 0));
	return users.map((u, i) => ({ ...u, ref: i + 1 }));
}

function toDoc(section: SectionInfo, row: DbRow, t: Translate): DocRow {
	const out: DocRow = {};
	for (const c of section.columns) {
		if (c.ref === 'event') continue;
		const value = row[c.key];
		if (value === null || value === undefined) out[c.key] = null;
		else if (c.key === 'id') out.id = t(section.key, value as number);
		else if (c.ref) out[c.key] = reference(section, c.key, c.ref, value as number, t);
		else if (c.json?.renumber) out[c.key] = c.json.renumber(value as never, t);
		else if (value instanceof Date) out[c.key] = value.toISOString();
		else out[c.key] = value;
	}
	return out;
}

function reference(section: SectionInfo, key: string, target: string, id: number, t: Translate) {
	const ref = t(target, id);
	// A plain-integer reference may outlive its row (no foreign key): written as none.
	if (ref === null && !section.refs?.[key]) {
		throw new Error(`transfer: ${section.key}.${key} = ${id} is not part of the event`);
	}
	return ref;
}

/** Rows without an id, in the order of their primary key's document values. */
function byKey(section: SectionInfo) {
	const keys = section.keyColumns.filter(
		(k) => section.columns.find((c) => c.key === k)?.ref !== 'event'
	);
	return (a: DocRow, b: DocRow) => {
		for (const k of keys) {
			const x = a[k] as number | string;
			const y = b[k] as number | string;
			if (x !== y) return x < y ? -1 : 1;
		}
		return 0;
	};
}
