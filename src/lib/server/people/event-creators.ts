import { and, asc, eq } from 'drizzle-orm';
import { m } from '$lib/paraglide/messages';
import type { EventCreation } from '$lib/constants';
import { requireAdmin, requireUser, type Actor } from '../auth/guards';
import { logActivity } from '../core/activity';
import { DomainError, invalid, notFound } from '../core/errors';
import { db, schema, type Db, type Tx } from '../db';

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

/** What the header offers and where sign-in lands when nothing asked for a page. */
export async function startingPoints(actor: Actor) {
	if (!actor) return { manage: false, landing: '/' };
	const team = actor.isAdmin || (await onATeam(actor.id));
	return {
		manage: team || (await mayCreateEvents(actor)),
		landing: team ? '/manage' : '/tickets'
	};
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
}
