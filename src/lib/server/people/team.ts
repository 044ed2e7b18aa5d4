import { and, asc, count, eq, gt, isNull } from 'drizzle-orm';
import { m } from '$lib/paraglide/messages';
import type { EventRole } from '$lib/constants';
import { roleLabel } from '$lib/labels';
import { logActivity } from '../core/activity';
import { live } from '../live/hub';
import { requireEventPermission, requireUser, type Actor } from '../auth/guards';
import { randomString, sha256 } from '../auth/tokens';
import { db, schema, type Tx } from '../db';
import { DomainError, invalid, notFound } from '../core/errors';
import { sendMail, mailTo } from '../core/mail';

const INVITE_TTL_MS = 14 * 24 * 60 * 60 * 1000;

export async function listTeam(actor: Actor, eventId: number) {
	await requireEventPermission(actor, eventId, 'team.view');
	const r = schema.eventRoles;
	const members = await db()
		.select({ userId: r.userId, role: r.role, name: schema.users.name, email: schema.users.email })
		.from(r)
		.innerJoin(schema.users, eq(schema.users.id, r.userId))
		.where(eq(r.eventId, eventId))
		.orderBy(asc(r.role), asc(schema.users.name));
	const i = schema.invites;
	const pending = await db()
		.select({
			id: i.id,
			email: i.email,
			role: i.role,
			expiresAt: i.expiresAt,
			createdAt: i.createdAt
		})
		.from(i)
		.where(
			and(
				eq(i.eventId, eventId),
				isNull(i.acceptedAt),
				isNull(i.revokedAt),
				gt(i.expiresAt, new Date())
			)
		)
		.orderBy(asc(i.createdAt));
	return { members, pending };
}

/** Mail a link that gives its holder `role` on this event once they sign in. */
export async function inviteToTeam(
	actor: Actor,
	eventId: number,
	input: { email: string; role: EventRole },
	origin: string
): Promise<void> {
	const who = await requireEventPermission(actor, eventId, 'team.manage');
	const [event] = await db().select().from(schema.events).where(eq(schema.events.id, eventId));
	if (!event) throw notFound();
	const [invite] = await db().transaction((tx) =>
		createInvites(tx, eventId, who.id, [input], 'team.invited')
	);
	await mailInvite(event.name, invite, origin);
}

export interface NewInvite {
	email: string;
	role: EventRole;
	token: string;
}

/** Pending invitations, written in the caller's transaction; their links are mailed after it. */
export async function createInvites(
	tx: Tx,
	eventId: number,
	invitedBy: number,
	list: { email: string; role: EventRole }[],
	action: 'team.invited' | 'team.invited_on_import'
): Promise<NewInvite[]> {
	const made: NewInvite[] = [];
	for (const { email, role } of list) {
		const token = randomString(40);
		await tx.insert(schema.invites).values({
			eventId,
			email,
			role,
			tokenHash: sha256(token),
			invitedBy,
			expiresAt: new Date(Date.now() + INVITE_TTL_MS)
		});
		await logActivity(tx, { eventId, actorId: invitedBy, action, data: { email, role } });
		made.push({ email, role, token });
	}
	return made;
}

export async function mailInvite(eventName: string, invite: NewInvite, origin: string) {
	await sendMail(
		await mailTo(invite.email, () => ({
			subject: m.mail_invite_subject({ event: eventName }),
			text: m.mail_invite_text({
				event: eventName,
				role: roleLabel(invite.role),
				url: `${origin}/invite/${invite.token}`
			})
		}))
	);
}

async function findOpenInvite(token: string) {
	const i = schema.invites;
	const [row] = await db()
		.select({ invite: i, eventName: schema.events.name, eventSlug: schema.events.slug })
		.from(i)
		.innerJoin(schema.events, eq(schema.events.id, i.eventId))
		.where(
			and(
				eq(i.tokenHash, sha256(token)),
				isNull(i.acceptedAt),
				isNull(i.revokedAt),
				gt(i.expiresAt, new Date())
			)
		);
	return row;
}

export async function describeInvite(token: string) {
	const row = await findOpenInvite(token);
	if (!row) throw new DomainError('not_found', m.error_invite_invalid());
	return {
		email: row.invite.email,
		role: row.invite.role,
		eventName: row.eventName,
		eventSlug: row.eventSlug
	};
}

/**
 * Accept an invite as the signed-in person. The link is the credential, so whoever holds it
 * may accept it (people often sign in with another address than the one invited).
 */
export async function acceptInvite(actor: Actor, token: string): Promise<{ eventSlug: string }> {
	requireUser(actor);
	const joined = await db().transaction(async (tx) => {
		const i = schema.invites;
		const [invite] = await tx
			.update(i)
			.set({ acceptedAt: new Date(), acceptedBy: actor.id })
			.where(
				and(
					eq(i.tokenHash, sha256(token)),
					isNull(i.acceptedAt),
					isNull(i.revokedAt),
					gt(i.expiresAt, new Date())
				)
			)
			.returning();
		if (!invite) throw new DomainError('not_found', m.error_invite_invalid());
		await tx
			.insert(schema.eventRoles)
			.values({ eventId: invite.eventId, userId: actor.id, role: invite.role })
			.onConflictDoNothing();
		await logActivity(tx, {
			eventId: invite.eventId,
			actorId: actor.id,
			action: 'team.joined',
			data: { role: invite.role }
		});
		const [event] = await tx
			.select({ slug: schema.events.slug })
			.from(schema.events)
			.where(eq(schema.events.id, invite.eventId));
		return { eventSlug: event.slug };
	});
	// "Manage" shows at once on this instance; the others hear it from the database.
	live().forget('event_roles', actor.id);
	return joined;
}

export async function revokeInvite(actor: Actor, eventId: number, inviteId: number): Promise<void> {
	const who = await requireEventPermission(actor, eventId, 'team.manage');
	const i = schema.invites;
	const [invite] = await db()
		.update(i)
		.set({ revokedAt: new Date() })
		.where(and(eq(i.id, inviteId), eq(i.eventId, eventId), isNull(i.acceptedAt)))
		.returning();
	if (!invite) throw notFound();
	await logActivity(db(), {
		eventId,
		actorId: who.id,
		action: 'team.invite_revoked',
		data: { email: invite.email }
	});
}

/** Remove a role from a person; the last organiser stays, so an event is never orphaned. */
export async function removeFromTeam(
	actor: Actor,
	eventId: number,
	userId: number,
	role: EventRole
): Promise<void> {
	const who = await requireEventPermission(actor, eventId, 'team.manage');
	await db().transaction(async (tx) => {
		const r = schema.eventRoles;
		// Lock the event row so two organisers removing each other cannot both succeed.
		await tx
			.select({ id: schema.events.id })
			.from(schema.events)
			.where(eq(schema.events.id, eventId))
			.for('update');
		if (role === 'organiser') {
			const [row] = await tx
				.select({ n: count() })
				.from(r)
				.where(and(eq(r.eventId, eventId), eq(r.role, 'organiser')));
			if (row.n <= 1) throw invalid({ _form: m.error_last_organiser() });
		}
		const [removed] = await tx
			.delete(r)
			.where(and(eq(r.eventId, eventId), eq(r.userId, userId), eq(r.role, role)))
			.returning();
		if (!removed) throw notFound();
		await logActivity(tx, {
			eventId,
			actorId: who.id,
			action: 'team.removed',
			data: { userId, role }
		});
	});
	live().forget('event_roles', userId);
}
