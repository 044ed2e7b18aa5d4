import { eq, sql } from 'drizzle-orm';
import type { AnyPgColumn } from 'drizzle-orm/pg-core';
import { schema, type Tx } from '../db';

// Where a deleted person's name or e-mail was copied into other rows: the audit trail's
// details, harvest change records, live screen updates, mail to others, action owners.
// Free text other people wrote about them (a comment, a note) is theirs and is left alone.

type Person = { email: string; name: string };

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Every string inside a JSON value, with the name replaced and the e-mail address removed. */
export function scrubJson(value: unknown, person: Person, former: string): unknown {
	const name = new RegExp(escape(person.name), 'gi');
	const email = new RegExp(escape(person.email), 'gi');
	const walk = (v: unknown): unknown => {
		if (typeof v === 'string') return v.replace(email, '').replace(name, former);
		if (Array.isArray(v)) return v.map(walk);
		if (v && typeof v === 'object') {
			return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, walk(x)]));
		}
		return v;
	};
	return walk(value);
}

/** The text of a column (jsonb cast to text) mentions the person, whatever the case. */
function mentions(column: AnyPgColumn, person: Person) {
	const text = sql`lower(${column}::text)`;
	return sql`(strpos(${text}, ${person.email.toLowerCase()}) > 0
		or strpos(${text}, ${person.name.toLowerCase()}) > 0)`;
}

export async function scrubPersonalText(tx: Tx, person: Person, former: string) {
	const a = schema.activity;
	for (const row of await tx
		.select({ id: a.id, data: a.data })
		.from(a)
		.where(mentions(a.data, person))) {
		const data = scrubJson(row.data, person, former) as Record<string, unknown>;
		await tx.update(a).set({ data }).where(eq(a.id, row.id));
	}
	const c = schema.harvestChanges;
	for (const row of await tx
		.select({ id: c.id, value: c.value })
		.from(c)
		.where(mentions(c.value, person))) {
		await tx
			.update(c)
			.set({ value: scrubJson(row.value, person, former) })
			.where(eq(c.id, row.id));
	}
	// Live updates are kept only so a reconnecting screen catches up; these simply go.
	await tx.delete(schema.liveEvents).where(mentions(schema.liveEvents.data, person));
	// Mail to other people that names them (a merge request, a co-presenter's note).
	const ob = schema.outbox;
	const clean = (column: AnyPgColumn) =>
		sql`regexp_replace(regexp_replace(${column}, ${escape(person.email)}, '', 'gi'),
			${escape(person.name)}, ${former}, 'gi')`;
	await tx
		.update(ob)
		.set({ subject: clean(ob.subject), text: clean(ob.text), html: clean(ob.html) })
		.where(
			sql`${mentions(ob.subject, person)} or ${mentions(ob.text, person)} or ${mentions(ob.html, person)}`
		);
	const hi = schema.harvestItems;
	await tx
		.update(hi)
		.set({ owner: former })
		.where(sql`lower(trim(${hi.owner})) = ${person.name.trim().toLowerCase()}`);
}
