import { and, Column, eq, getTableName, inArray, sql, type AnyColumn, type SQL } from 'drizzle-orm';
import { toSnakeCase } from 'drizzle-orm/casing';
import { alias } from 'drizzle-orm/pg-core';
import * as v from 'valibot';
import { m } from '$lib/paraglide/messages';
import { fieldErrors } from '$lib/schemas/form';
import { shownNameSchema } from '$lib/schemas/tickets';
import { requireUser, type Actor } from '../auth/guards';
import { logActivity } from '../core/activity';
import { DomainError, invalid } from '../core/errors';
import { db, schema, type Db, type Tx } from '../db';

// The name others see for a person in an event: the name they chose on their ticket ("shown on
// the name badge and to other attendees"), or their account name when they chose none. Every
// screen, download, feed and live message that shows a person to others reads it here; only the
// organisers' own lists (check-in, orders, the attendee CSV) show the account name beside it.

type Person = { id: AnyColumn; name: AnyColumn };

/** The shown name of the person in `person` (a users table or its alias) in the event. */
// Drizzle leaves columns unqualified in a one-table query, which inside the subquery below would
// be ambiguous: every column there is written out with its table.
// (The schema names columns in camelCase; the database has them in snake_case.)
const qualified = (c: AnyColumn) =>
	sql`${sql.identifier(getTableName(c.table))}.${sql.identifier(toSnakeCase(c.name))}`;

export function shownName(eventId: number | AnyColumn | SQL, person: Person = schema.users) {
	const event = eventId instanceof Column ? qualified(eventId) : eventId;
	// Aliased, so a query that already reads tickets or orders keeps its own rows apart.
	const t = alias(schema.tickets, 'shown_ticket');
	const o = alias(schema.orders, 'shown_order');
	const chosen = sql`nullif(btrim(${qualified(o.answers)} ->> 'publicName'), '')`;
	return sql<string>`coalesce((select ${chosen} from ${schema.tickets} ${t} inner join ${schema.orders} ${o} on ${qualified(o.id)} = ${qualified(t.orderId)}
		where ${qualified(t.eventId)} = ${event} and ${qualified(t.holderId)} = ${qualified(person.id)} and ${qualified(t.status)} = 'valid'
			and ${chosen} is not null
		order by ${qualified(t.id)} desc limit 1), ${qualified(person.name)})`;
}

/** The shown names of these people in the event, by user id. */
export async function shownNames(
	eventId: number,
	userIds: number[],
	tx: Tx | Db = db()
): Promise<Map<number, string>> {
	const ids = [...new Set(userIds)];
	if (!ids.length) return new Map();
	const u = schema.users;
	const rows = await tx
		.select({ id: u.id, name: shownName(eventId) })
		.from(u)
		.where(inArray(u.id, ids));
	return new Map(rows.map((r) => [r.id, r.name]));
}

/** The holder's own choice for the event ('' when none) and the account name it stands in for. */
export async function myShownName(actor: Actor, eventId: number) {
	requireUser(actor);
	const who = actor;
	const [row] = await db()
		.select({ shown: shownName(eventId), account: schema.users.name })
		.from(schema.users)
		.where(eq(schema.users.id, who.id));
	return { chosen: row.shown === row.account ? '' : row.shown, account: row.account };
}

/**
 * Change the name a ticket holder shows to others in the event: the badge name on every ticket
 * they hold there. Empty goes back to the account name.
 */
export async function setShownName(actor: Actor, eventId: number, publicName: string) {
	requireUser(actor);
	const who = actor;
	const parsed = v.safeParse(shownNameSchema, { publicName });
	if (!parsed.success) throw invalid(fieldErrors(parsed.issues));
	const t = schema.tickets;
	const o = schema.orders;
	await db().transaction(async (tx) => {
		const held = tx
			.select({ orderId: t.orderId })
			.from(t)
			.where(and(eq(t.eventId, eventId), eq(t.holderId, who.id), eq(t.status, 'valid')));
		const changed = await tx
			.update(o)
			.set({
				answers: sql`jsonb_set(${qualified(o.answers)}, '{publicName}', to_jsonb(${parsed.output.publicName}::text))`
			})
			.where(and(eq(o.eventId, eventId), inArray(o.id, held)))
			.returning({ id: o.id });
		if (!changed.length) throw new DomainError('forbidden', m.shown_name_needs_ticket());
		await logActivity(tx, { eventId, actorId: who.id, action: 'ticket.shown_name_changed' });
	});
}
