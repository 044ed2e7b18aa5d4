import { and, count, eq, exists, inArray, ne, or, sql } from 'drizzle-orm';
import { m } from '$lib/paraglide/messages';
import { baseLocale } from '$lib/paraglide/runtime';
import { logActivity } from '../core/activity';
import { requireUser, type Actor } from '../auth/guards';
import { db, schema, type Tx } from '../db';
import { DomainError, invalid, unauthenticated } from '../core/errors';
import { sameEmail } from './my-data';
import { scrubPersonalText } from './account-scrub';

// Deleting an account: the person's personal data goes, what they wrote for others stays
// (author set null by the foreign keys, shown as "a former participant"). Orders and tickets
// stay for the organiser's figures, without a name, e-mail or answers.
//
// Dots are deleted with the user (ON DELETE CASCADE). Vote totals are never cached: dots.ts
// sums the dots table, so every total drops by their dots at once and stays consistent. The
// agenda's `expected` figure is a planning snapshot taken when it was generated; it is left.

export interface DeleteAccountInput {
	/** The account's e-mail address, typed by the person to confirm. */
	confirm: string;
	/** false: the harvest list items they added and their change history go too. */
	keepContributions: boolean;
}

const u = schema.users;

export async function deleteAccount(actor: Actor, input: DeleteAccountInput): Promise<void> {
	requireUser(actor);
	const [user] = await db()
		.select({ id: u.id, email: u.email, name: u.name, isAdmin: u.isAdmin })
		.from(u)
		.where(eq(u.id, actor.id));
	if (!user) throw unauthenticated();
	if (input.confirm.trim().toLowerCase() !== user.email.toLowerCase()) {
		throw invalid({ confirm: m.ac_error_confirm() });
	}
	const former = m.ac_former_participant({}, { locale: baseLocale });
	await db().transaction(async (tx) => {
		// Deletions take turns, so two last admins (or organisers) leaving at once cannot both pass.
		await tx.execute(sql`select pg_advisory_xact_lock(7263002)`);
		await refuseIfIrreplaceable(tx, user);
		await anonymiseTickets(tx, user, former);
		await removeTalks(tx, user, former);
		await removeAddressedTo(tx, user.email);
		await scrubPersonalText(tx, user, former);
		if (!input.keepContributions) await removeHarvestContributions(tx, user.id);
		await forgetInMerges(tx, user.id);
		await tx.delete(u).where(eq(u.id, user.id));
		await logActivity(tx, { action: 'account.deleted' });
	});
}

/** The only admin, or an active event's only organiser, must hand over before leaving. */
async function refuseIfIrreplaceable(tx: Tx, user: { id: number; isAdmin: boolean }) {
	if (user.isAdmin) {
		const [admins] = await tx.select({ n: count() }).from(u).where(eq(u.isAdmin, true));
		if (admins.n <= 1) throw new DomainError('conflict', m.ac_error_last_admin());
	}
	const r = schema.eventRoles;
	const other = schema.eventRoles;
	const [alone] = await tx
		.select({ name: schema.events.name })
		.from(r)
		.innerJoin(schema.events, eq(schema.events.id, r.eventId))
		.where(
			and(
				eq(r.userId, user.id),
				eq(r.role, 'organiser'),
				ne(schema.events.status, 'archived'),
				sql`not exists (select 1 from ${other} o where o.event_id = ${r.eventId}
					and o.role = 'organiser' and o.user_id <> ${user.id})`
			)
		)
		.limit(1);
	if (alone) throw new DomainError('conflict', m.ac_error_only_organiser({ event: alone.name }));
}

type Person = { id: number; email: string; name: string };

/**
 * Their own tickets and orders lose the name, e-mail and answers; amounts and statuses stay.
 * An order they bought for someone else keeps that person's details (only buyer_id goes).
 */
async function anonymiseTickets(tx: Tx, user: Person, former: string) {
	const t = schema.tickets;
	const o = schema.orders;
	const w = schema.waitingList;
	const mine = or(eq(t.holderId, user.id), sameEmail(t.email, user.email));
	await tx
		.update(o)
		.set({
			attendeeName: former,
			attendeeEmail: '',
			answers: { dietary: '', access: '', publicName: '' }
		})
		.where(
			or(
				sameEmail(o.attendeeEmail, user.email),
				exists(
					tx
						.select({ one: sql`1` })
						.from(t)
						.where(and(eq(t.orderId, o.id), mine))
				)
			)
		);
	await tx.update(t).set({ name: former, email: '' }).where(mine);
	const theirs = or(eq(w.userId, user.id), sameEmail(w.email, user.email));
	await tx.update(w).set({ name: former, email: '' }).where(theirs);
	// Nobody can take a seat offered to an empty address: they leave the queue.
	await tx
		.update(w)
		.set({ status: 'left' })
		.where(and(theirs, eq(w.status, 'waiting')));
}

/** Invitations, sign-in links, mail and rate-limit counters addressed to their e-mail. */
async function removeAddressedTo(tx: Tx, email: string) {
	await tx.delete(schema.invites).where(sameEmail(schema.invites.email, email));
	await tx.delete(schema.talkPresenters).where(sameEmail(schema.talkPresenters.email, email));
	await tx.delete(schema.orderRequests).where(sameEmail(schema.orderRequests.attendeeEmail, email));
	await tx.delete(schema.emailTokens).where(sameEmail(schema.emailTokens.email, email));
	await tx.delete(schema.outbox).where(sameEmail(schema.outbox.to, email));
	const key = schema.rateLimits.key;
	await tx.delete(schema.rateLimits).where(sql`strpos(lower(${key}), ${email.toLowerCase()}) > 0`);
}

/**
 * Talks they submitted are personal (their name, access needs): they go, with their
 * co-presenter invitations and reviews (cascade); the stage forgets them (set null). On talks
 * they co-present, their name leaves the presenters line.
 */
async function removeTalks(tx: Tx, user: Person, former: string) {
	const t = schema.talks;
	const tp = schema.talkPresenters;
	await tx.delete(t).where(eq(t.submitterId, user.id));
	const coPresented = tx
		.select({ id: tp.talkId })
		.from(tp)
		.where(or(eq(tp.userId, user.id), sameEmail(tp.email, user.email)));
	await tx
		.update(t)
		.set({ presenters: sql`replace(${t.presenters}, ${user.name}, ${former})` })
		.where(and(inArray(t.id, coPresented), sql`strpos(${t.presenters}, ${user.name}) > 0`));
}

/** Asked to: the list items they added and their record of changes go; shared text stays. */
async function removeHarvestContributions(tx: Tx, userId: number) {
	await tx.delete(schema.harvestItems).where(eq(schema.harvestItems.createdBy, userId));
	await tx.delete(schema.harvestChanges).where(eq(schema.harvestChanges.userId, userId));
}

/**
 * A merge keeps voters' and conveners' ids so it can be undone; an undo would put a deleted
 * person's dots or convenership back (and fail on the foreign key), so they are taken out.
 */
async function forgetInMerges(tx: Tx, userId: number) {
	const g = schema.merges;
	const rows = await tx
		.select()
		.from(g)
		.where(
			or(
				sql`${g.addedConveners} @> ${JSON.stringify([userId])}::jsonb`,
				sql`${g.movedInterest} @> ${JSON.stringify([userId])}::jsonb`,
				sql`${g.moved} @> ${JSON.stringify([{ userId }])}::jsonb`
			)
		);
	for (const row of rows) {
		await tx
			.update(g)
			.set({
				addedConveners: row.addedConveners.filter((x) => x !== userId),
				movedInterest: row.movedInterest.filter((x) => x !== userId),
				moved: row.moved.filter((x) => x.userId !== userId)
			})
			.where(eq(g.id, row.id));
	}
}
