import { and, asc, eq } from 'drizzle-orm';
import { participation, type Actor } from '../auth/guards';
import { db, schema } from '../db';
import { shownName } from '../people/shown-name';

// "Continue the conversation" read for a session's own page. It reads the list without making
// the session's harvest (only joining does, through harvest.ts), and applies the same rule as
// the harvest page: names and contacts only for people on the list and facilitators.

export interface ContinuersView {
	count: number;
	mine: { contact: string } | null;
	people: { name: string; contact: string }[] | null;
}

/**
 * Who wants to continue a session of this event, as this person may see it; null for someone
 * who cannot take part (signed out, or neither ticket holder nor running the harvests).
 */
export async function continuersOf(
	actor: Actor,
	eventId: number,
	sessionId: number
): Promise<ContinuersView | null> {
	if (!actor) return null;
	const way = await participation(actor, eventId, 'harvest.manage');
	if (!way) return null;
	return continuersList(eventId, sessionId, actor.id, way === 'team');
}

/**
 * The list as `actorId` sees it, once allowed to take part: names and contacts for people on it
 * and for those running the harvests (`manage`), only the count for anyone else.
 */
export async function continuersList(
	eventId: number,
	sessionId: number,
	actorId: number,
	manage: boolean
): Promise<ContinuersView> {
	const c = schema.harvestContinuers;
	const h = schema.harvests;
	const u = schema.users;
	// The harvest's event is matched too, so a session id of another event lists nobody.
	const rows = await db()
		.select({ userId: c.userId, name: shownName(eventId, u), contact: c.contact })
		.from(c)
		.innerJoin(h, eq(h.id, c.harvestId))
		.innerJoin(u, eq(u.id, c.userId))
		.where(and(eq(h.sessionId, sessionId), eq(h.eventId, eventId)))
		.orderBy(asc(c.joinedAt), asc(u.id));
	const mine = rows.find((x) => x.userId === actorId) ?? null;
	return {
		count: rows.length,
		mine: mine ? { contact: mine.contact } : null,
		people: mine || manage ? rows.map(({ name, contact }) => ({ name, contact })) : null
	};
}
