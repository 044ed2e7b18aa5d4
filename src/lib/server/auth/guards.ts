import { and, eq, inArray } from 'drizzle-orm';
import { m } from '$lib/paraglide/messages';
import { db, schema, type Db, type Tx } from '../db';
import { forbidden, invalid, unauthenticated } from '../core/errors';
import type { EventRole } from '$lib/constants';

/** Who is acting: the signed-in user, or null for an anonymous visitor. */
export type Actor = { id: number; isAdmin: boolean } | null;

/**
 * Every event-scoped permission and the roles that hold it. The instance admin holds all of
 * them. This table is the one place that says who may do what.
 */
export const EVENT_PERMISSIONS = {
	'event.view_manage': ['organiser', 'facilitator', 'reviewer'],
	'event.edit': ['organiser'],
	'event.publish': ['organiser'],
	// Downloading the whole event as a file to re-create it elsewhere.
	'event.export': ['organiser'],
	'schedule.edit': ['organiser'],
	'rooms.edit': ['organiser'],
	'team.view': ['organiser', 'facilitator'],
	'team.manage': ['organiser'],
	'activity.view': ['organiser'],
	'tickets.manage': ['organiser'],
	'orders.view': ['organiser'],
	'orders.manage': ['organiser'],
	// Writing to a segment of the event's people (ticket holders, waiting list, presenters…).
	'people.message': ['organiser'],
	'checkin.scan': ['organiser', 'facilitator'],
	'checkin.undo': ['organiser'],
	// Revoking the key door phones hash the offline ticket list with (a lost phone).
	'checkin.keys': ['organiser'],
	// The call for lightning talks, the running order and sending decisions.
	'talks.manage': ['organiser'],
	// Reading every submission, private notes and scores, and deciding.
	'talks.review': ['organiser', 'reviewer'],
	'stage.run': ['organiser', 'facilitator'],
	// Opening and closing marketplace phases, merging proposals.
	'marketplace.run': ['organiser', 'facilitator'],
	// Assigning note-takers and seeing every harvest's "who wants to continue" list.
	'harvest.manage': ['organiser', 'facilitator'],
	// Reviewing harvests (complete, hidden), the report's licence, publishing the report.
	'harvest.review': ['organiser'],
	// Seeing the attendee directory (and opting in) without holding a ticket.
	'directory.view': ['organiser', 'facilitator']
} as const satisfies Record<string, readonly EventRole[]>;

export type EventPermission = keyof typeof EVENT_PERMISSIONS;

export function requireUser(actor: Actor): asserts actor is NonNullable<Actor> {
	if (!actor) throw unauthenticated();
}

export function requireAdmin(actor: Actor): asserts actor is NonNullable<Actor> {
	requireUser(actor);
	if (!actor.isAdmin) throw forbidden();
}

export async function eventRolesOf(
	actor: Actor,
	eventId: number,
	tx: Tx | Db = db()
): Promise<EventRole[]> {
	if (!actor) return [];
	const rows = await tx
		.select({ role: schema.eventRoles.role })
		.from(schema.eventRoles)
		.where(and(eq(schema.eventRoles.eventId, eventId), eq(schema.eventRoles.userId, actor.id)));
	return rows.map((r) => r.role);
}

export async function hasEventPermission(
	actor: Actor,
	eventId: number,
	permission: EventPermission,
	tx: Tx | Db = db()
): Promise<boolean> {
	if (!actor) return false;
	if (actor.isAdmin) return true;
	const roles = await eventRolesOf(actor, eventId, tx);
	const allowed: readonly EventRole[] = EVENT_PERMISSIONS[permission];
	return roles.some((r) => allowed.includes(r));
}

export async function requireEventPermission(
	actor: Actor,
	eventId: number,
	permission: EventPermission
): Promise<NonNullable<Actor>> {
	requireUser(actor);
	if (!(await hasEventPermission(actor, eventId, permission))) throw forbidden();
	return actor;
}

/** Which event permissions this person holds, for showing or hiding controls. */
export async function eventPermissionsOf(
	actor: Actor,
	eventId: number
): Promise<Record<EventPermission, boolean>> {
	const roles = actor?.isAdmin ? null : await eventRolesOf(actor, eventId);
	const entries = (Object.keys(EVENT_PERMISSIONS) as EventPermission[]).map((p) => {
		const allowed: readonly EventRole[] = EVENT_PERMISSIONS[p];
		return [p, roles === null ? !!actor : roles.some((r) => allowed.includes(r))] as const;
	});
	return Object.fromEntries(entries) as Record<EventPermission, boolean>;
}

/**
 * Who takes part in an event: whoever holds a valid ticket for it and, where the caller names a
 * permission, the team members holding it (facilitators run the marketplace without a ticket).
 * Dots and "I'd come" name none: they count the people in the room. Answers how the person
 * takes part, or null; inside a transaction pass it, so the reads wait on the same locks.
 */
export async function participation(
	actor: Actor,
	eventId: number,
	orPermission: EventPermission | null = null,
	tx: Tx | Db = db()
): Promise<'team' | 'ticket' | null> {
	if (!actor) return null;
	if (orPermission && (await hasEventPermission(actor, eventId, orPermission, tx))) return 'team';
	return (await ticketHolders(eventId, [actor.id], tx)).has(actor.id) ? 'ticket' : null;
}

/** The participation rule as a guard: refused with "you need a ticket" beside the form. */
export async function requireParticipant(
	actor: Actor,
	eventId: number,
	orPermission: EventPermission | null = null,
	tx: Tx | Db = db()
): Promise<'team' | 'ticket'> {
	requireUser(actor);
	const way = await participation(actor, eventId, orPermission, tx);
	if (!way) throw invalid({ _form: m.error_needs_ticket() });
	return way;
}

/** Which of these people hold a valid ticket for the event. */
export async function ticketHolders(
	eventId: number,
	userIds: number[],
	tx: Tx | Db = db()
): Promise<Set<number>> {
	if (userIds.length === 0) return new Set();
	const t = schema.tickets;
	const rows = await tx
		.selectDistinct({ holderId: t.holderId })
		.from(t)
		.where(and(eq(t.eventId, eventId), eq(t.status, 'valid'), inArray(t.holderId, userIds)));
	return new Set(rows.map((r) => r.holderId!));
}
