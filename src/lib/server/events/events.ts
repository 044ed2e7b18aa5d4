import { and, asc, count, eq, inArray, ne } from 'drizzle-orm';
import { m } from '$lib/paraglide/messages';
import type { EventStatus } from '$lib/constants';
import type { EventInput } from '$lib/schemas/events';
import { datesBetween, instantToZoned, zonedToInstant } from '$lib/time';
import { logActivity } from '../core/activity';
import {
	hasEventPermission,
	requireEventPermission,
	requireUser,
	type Actor,
	type EventPermission
} from '../auth/guards';
import { db, schema, type Tx } from '../db';
import { live, type InvalidatedCache, type LiveHub } from '../live/hub';
import { DomainError, invalid, notFound } from '../core/errors';
import { hasUnsafeMarkup } from '$lib/markdown';
import { requireEventCreator } from '../people/event-creators';

export type Event = typeof schema.events.$inferSelect;

function checkDescription(input: EventInput) {
	if (hasUnsafeMarkup(input.description)) throw invalid({ description: m.error_unsafe_markup() });
}

/** Keep one `days` row per date in the event's range; a day that still has blocks stays. */
async function syncDays(tx: Tx, eventId: number, startDate: string, endDate: string) {
	const wanted = new Set(datesBetween(startDate, endDate));
	const existing = await tx.select().from(schema.days).where(eq(schema.days.eventId, eventId));
	const stale = existing.filter((d) => !wanted.has(d.date));
	if (stale.length) {
		const used = await tx
			.select({ dayId: schema.blocks.dayId, n: count() })
			.from(schema.blocks)
			.where(
				inArray(
					schema.blocks.dayId,
					stale.map((d) => d.id)
				)
			)
			.groupBy(schema.blocks.dayId);
		if (used.length) {
			const day = stale.find((d) => d.id === used[0].dayId)!;
			const field = day.date < startDate ? 'startDate' : 'endDate';
			throw invalid({ [field]: m.error_day_has_blocks({ date: day.date }) });
		}
		await tx.delete(schema.days).where(
			inArray(
				schema.days.id,
				stale.map((d) => d.id)
			)
		);
	}
	const have = new Set(existing.map((d) => d.date));
	const missing = [...wanted].filter((d) => !have.has(d));
	if (missing.length) {
		await tx.insert(schema.days).values(missing.map((date) => ({ eventId, date })));
	}
}

/** Whoever the instance lets start events may; they become its first organiser. */
export async function createEvent(actor: Actor, input: EventInput): Promise<Event> {
	await requireEventCreator(actor);
	requireUser(actor);
	checkDescription(input);
	return db().transaction((tx) => insertEvent(tx, input, actor.id));
}

/** Insert an event with its days and, when given, its first organiser. */
export async function insertEvent(
	tx: Tx,
	input: EventInput,
	organiserId: number | null
): Promise<Event> {
	const [event] = await tx
		.insert(schema.events)
		.values({ ...input, createdBy: organiserId })
		.onConflictDoNothing()
		.returning();
	if (!event) throw invalid({ slug: m.error_slug_taken() });
	if (organiserId !== null) {
		await tx
			.insert(schema.eventRoles)
			.values({ eventId: event.id, userId: organiserId, role: 'organiser' });
	}
	await syncDays(tx, event.id, input.startDate, input.endDate);
	await tx.insert(schema.ticketing).values({ eventId: event.id });
	await logActivity(tx, {
		eventId: event.id,
		actorId: organiserId,
		action: 'event.created',
		data: { name: event.name }
	});
	return event;
}

export async function updateEvent(
	actor: Actor,
	eventId: number,
	input: EventInput
): Promise<Event> {
	await requireEventPermission(actor, eventId, 'event.edit');
	checkDescription(input);
	const updated = await db().transaction(async (tx) => {
		const [before] = await tx
			.select()
			.from(schema.events)
			.where(eq(schema.events.id, eventId))
			.for('update');
		if (!before) throw notFound();
		const [taken] = await tx
			.select({ id: schema.events.id })
			.from(schema.events)
			.where(and(eq(schema.events.slug, input.slug), ne(schema.events.id, eventId)));
		if (taken) throw invalid({ slug: m.error_slug_taken() });
		const [event] = await tx
			.update(schema.events)
			.set({ ...input, updatedAt: new Date() })
			.where(eq(schema.events.id, eventId))
			.returning();
		await syncDays(tx, eventId, input.startDate, input.endDate);
		if (before.timeZone !== input.timeZone)
			await rezoneBlocks(tx, eventId, before.timeZone, input.timeZone);
		await logActivity(tx, {
			eventId,
			actorId: actor!.id,
			action: 'event.updated',
			data: { name: event.name }
		});
		return { event, before };
	});
	live().forget('events', updated.before.slug);
	return updated.event;
}

/** A new time zone keeps every block at the same wall-clock time on the same day. */
async function rezoneBlocks(tx: Tx, eventId: number, from: string, to: string) {
	const rows = await tx.select().from(schema.blocks).where(eq(schema.blocks.eventId, eventId));
	for (const b of rows) {
		const s = instantToZoned(b.startsAt, from);
		const e = instantToZoned(b.endsAt, from);
		await tx
			.update(schema.blocks)
			.set({
				startsAt: zonedToInstant(s.date, s.time, to),
				endsAt: zonedToInstant(e.date, e.time, to)
			})
			.where(eq(schema.blocks.id, b.id));
	}
}

export async function setEventStatus(
	actor: Actor,
	eventId: number,
	status: EventStatus
): Promise<Event> {
	await requireEventPermission(actor, eventId, 'event.publish');
	const event = await db().transaction(async (tx) => {
		const [event] = await tx
			.update(schema.events)
			.set({ status, updatedAt: new Date() })
			.where(eq(schema.events.id, eventId))
			.returning();
		if (!event) throw notFound();
		await logActivity(tx, { eventId, actorId: actor!.id, action: `event.${status}` });
		return event;
	});
	live().forget('events', event.slug);
	return event;
}

// Every page and action of an event starts with the event by its slug: each instance keeps it for
// a few seconds, and forgets it when the event changes (here or on another instance).
const EVENT_CACHE_MS = 5_000;
const eventCaches = new WeakMap<LiveHub, InvalidatedCache<Event>>();

function eventCache(): InvalidatedCache<Event> {
	const hub = live();
	let cache = eventCaches.get(hub);
	if (!cache) {
		cache = hub.cache<Event>(EVENT_CACHE_MS, { events: (slug, event) => event.slug === slug });
		eventCaches.set(hub, cache);
	}
	return cache;
}

export async function findEventBySlug(slug: string): Promise<Event | undefined> {
	return eventCache().get(slug, async () => {
		const [event] = await db().select().from(schema.events).where(eq(schema.events.slug, slug));
		return event;
	});
}

/** The event behind a manage URL: 404 if it does not exist, 403 without the permission. */
export async function eventForManage(
	actor: Actor,
	slug: string,
	permission: EventPermission = 'event.view_manage'
): Promise<Event> {
	const event = await findEventBySlug(slug);
	if (!event) throw notFound();
	await requireEventPermission(actor, event.id, permission);
	return event;
}

/** Published events are public; the event's team may preview a draft or an archive. */
export async function eventForPublic(actor: Actor, slug: string): Promise<Event> {
	const event = await findEventBySlug(slug);
	if (!event) throw notFound();
	if (
		event.status !== 'published' &&
		!(await hasEventPermission(actor, event.id, 'event.view_manage'))
	) {
		throw new DomainError('not_found', m.error_event_not_found());
	}
	return event;
}

export async function listPublishedEvents(): Promise<Event[]> {
	return db()
		.select()
		.from(schema.events)
		.where(eq(schema.events.status, 'published'))
		.orderBy(asc(schema.events.startDate));
}

/** The events a person helps run, with their roles; the admin sees every event. */
export async function listManagedEvents(actor: Actor) {
	requireUser(actor);
	const e = schema.events;
	if (actor.isAdmin) {
		const all = await db().select().from(e).orderBy(asc(e.startDate));
		return all.map((event) => ({ event, roles: [] as string[] }));
	}
	const rows = await db()
		.select({ event: e, role: schema.eventRoles.role })
		.from(e)
		.innerJoin(schema.eventRoles, eq(schema.eventRoles.eventId, e.id))
		.where(eq(schema.eventRoles.userId, actor.id))
		.orderBy(asc(e.startDate));
	const byId = new Map<number, { event: Event; roles: string[] }>();
	for (const r of rows) {
		const entry = byId.get(r.event.id) ?? { event: r.event, roles: [] };
		entry.roles.push(r.role);
		byId.set(r.event.id, entry);
	}
	return [...byId.values()];
}
