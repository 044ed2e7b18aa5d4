import { and, asc, eq } from 'drizzle-orm';
import { m } from '$lib/paraglide/messages';
import type { EventCreation } from '$lib/constants';
import { requireAdmin, requireUser, type Actor } from '../auth/guards';
import { logActivity } from '../core/activity';
import { DomainError, invalid, notFound } from '../core/errors';
import { db, schema, type Db, type Tx } from '../db';
import { live, type InvalidatedCache, type LiveHub } from '../live/hub';

// Who may start events on the instance (an instance setting the admin picks at setup and changes
// at /admin), who sees "Manage", and where someone lands after signing in with nowhere to return.

const s = schema.instanceSettings;
const u = schema.users;

export async function eventCreationRule(tx: Tx | Db = db()): Promise<EventCreation> {
	const [row] = await tx.select({ rule: s.eventCreation }).from(s).where(eq(s.id, 1));
	return row?.rule ?? 'anyone';
}

/** The admin, anyone when the rule says so, otherwise only the people the admin named. */
export async function mayCreateEvents(actor: Actor): Promise<boolean> {
	if (!actor) return false;
	if (actor.isAdmin || (await eventCreationRule()) === 'anyone') return true;
	const [row] = await db().select({ named: u.createsEvents }).from(u).where(eq(u.id, actor.id));
	return !!row?.named;
}

/** Every way of starting an event (new, import) calls this first. */
export async function requireEventCreator(actor: Actor): Promise<void> {
	requireUser(actor);
	if (!(await mayCreateEvents(actor))) {
		throw new DomainError('forbidden', m.creators_refused());
	}
}

async function onATeam(userId: number): Promise<boolean> {
	const r = schema.eventRoles;
	const [row] = await db().select({ id: r.userId }).from(r).where(eq(r.userId, userId)).limit(1);
	return !!row;
}

interface StartingPoints {
	manage: boolean;
	landing: string;
}

/** What the header offers and where sign-in lands when nothing asked for a page. */
export async function startingPoints(actor: Actor): Promise<StartingPoints> {
	if (!actor) return { manage: false, landing: '/' };
	const key = `${actor.id}:${actor.isAdmin}`;
	const kept = await startingCache().get(key, async () => ({
		userId: actor.id,
		...(await readStartingPoints(actor))
	}));
	return { manage: kept!.manage, landing: kept!.landing };
}

async function readStartingPoints(actor: NonNullable<Actor>): Promise<StartingPoints> {
	const team = actor.isAdmin || (await onATeam(actor.id));
	return {
		manage: team || (await mayCreateEvents(actor)),
		landing: team ? '/manage' : '/tickets'
	};
}

// Every page of a signed-in person shows the header, which asks this: each instance keeps the
// answer per person for a few seconds, as it keeps the session, and forgets it when the
// person's roles, the person (named to start events) or the instance's rule changes.
const STARTING_CACHE_MS = 5_000;
type KeptStartingPoints = StartingPoints & { userId: number };
const startingCaches = new WeakMap<LiveHub, InvalidatedCache<KeptStartingPoints>>();

function startingCache(): InvalidatedCache<KeptStartingPoints> {
	const hub = live();
	let cache = startingCaches.get(hub);
	if (!cache) {
		const samePerson = (key: string, kept: KeptStartingPoints) => String(kept.userId) === key;
		cache = hub.cache<KeptStartingPoints>(STARTING_CACHE_MS, {
			users: samePerson,
			event_roles: samePerson,
			instance_settings: () => true
		});
		startingCaches.set(hub, cache);
	}
	return cache;
}

/** Change who may start events. */
export async function setEventCreation(actor: Actor, rule: EventCreation): Promise<void> {
	requireAdmin(actor);
	await db().transaction(async (tx) => {
		await tx
			.insert(s)
			.values({ id: 1, eventCreation: rule })
			.onConflictDoUpdate({ target: s.id, set: { eventCreation: rule, updatedAt: new Date() } });
		await logActivity(tx, {
			actorId: actor.id,
			action: 'instance.event_creation_set',
			data: { rule }
		});
	});
	// This instance forgets at once; the others when the database announces it.
	live().forget('instance_settings', 1);
}

/** The people the admin named, by name. */
export async function listEventCreators(actor: Actor) {
	requireAdmin(actor);
	return db()
		.select({ id: u.id, name: u.name, email: u.email })
		.from(u)
		.where(eq(u.createsEvents, true))
		.orderBy(asc(u.name), asc(u.id));
}

/** Name someone (by their account's e-mail) as allowed to start events. */
export async function nameEventCreator(actor: Actor, email: string): Promise<void> {
	requireAdmin(actor);
	const address = email.trim().toLowerCase();
	const [person] = await db()
		.update(u)
		.set({ createsEvents: true })
		.where(eq(u.email, address))
		.returning({ id: u.id });
	if (!person) throw invalid({ email: m.creators_no_account() });
	await logActivity(db(), {
		actorId: actor.id,
		action: 'instance.event_creator_named',
		data: { userId: person.id }
	});
	live().forget('users', person.id);
}

export async function unnameEventCreator(actor: Actor, userId: number): Promise<void> {
	requireAdmin(actor);
	const [person] = await db()
		.update(u)
		.set({ createsEvents: false })
		.where(and(eq(u.id, userId), eq(u.createsEvents, true)))
		.returning({ id: u.id });
	if (!person) throw notFound();
	await logActivity(db(), {
		actorId: actor.id,
		action: 'instance.event_creator_unnamed',
		data: { userId }
	});
	live().forget('users', userId);
}
