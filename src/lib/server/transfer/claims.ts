import { and, asc, eq, gt, isNull, or, sql, type SQL } from 'drizzle-orm';
import { toSnakeCase } from 'drizzle-orm/casing';
import type { PgColumn, PgTable } from 'drizzle-orm/pg-core';
import { m } from '$lib/paraglide/messages';
import { logActivity } from '../core/activity';
import { DomainError, notFound } from '../core/errors';
import { mailTo, sendMail } from '../core/mail';
import { requireEventPermission, requireUser, type Actor } from '../auth/guards';
import { randomString, sha256 } from '../auth/tokens';
import { db, schema, type Tx } from '../db';
import type { MovedDots } from '../db/schema/marketplace';
import { PEOPLE, SECTION_INFO } from './sections';

// Claiming an imported participant: an organiser mails a link to an address; whoever opens it
// signs in, sees what the placeholder holds and accepts; the placeholder's rows then move to
// their account in one transaction and the placeholder account is deleted. Nothing moves
// without the account owner's acceptance.

const CLAIM_TTL_MS = 14 * 24 * 60 * 60 * 1000;
const ph = schema.placeholders;
const pc = schema.placeholderClaims;

/** The event's imported participants not claimed yet, with their pending claim links. */
export async function listPlaceholders(actor: Actor, eventId: number) {
	await requireEventPermission(actor, eventId, 'team.view');
	const people = await db()
		.select({ id: ph.id, name: ph.name, userId: ph.userId })
		.from(ph)
		.where(and(eq(ph.eventId, eventId), isNull(ph.claimedAt)))
		.orderBy(asc(ph.name), asc(ph.id));
	const pending = await db()
		.select({ placeholderId: pc.placeholderId, email: pc.email, expiresAt: pc.expiresAt })
		.from(pc)
		.where(and(eq(pc.eventId, eventId), isNull(pc.usedAt), gt(pc.expiresAt, new Date())))
		.orderBy(asc(pc.createdAt));
	return people.map((p) => ({ ...p, pending: pending.filter((c) => c.placeholderId === p.id) }));
}

/** Mail a claim link for one of this event's placeholders (an id from another event is not found). */
export async function sendClaim(
	actor: Actor,
	eventId: number,
	input: { placeholderId: number; email: string },
	origin: string
): Promise<void> {
	const who = await requireEventPermission(actor, eventId, 'team.manage');
	const token = randomString(40);
	const eventName = await db().transaction(async (tx) => {
		const [row] = await tx
			.select({ placeholder: ph, eventName: schema.events.name })
			.from(ph)
			.innerJoin(schema.events, eq(schema.events.id, ph.eventId))
			.where(and(eq(ph.id, input.placeholderId), eq(ph.eventId, eventId), isNull(ph.claimedAt)));
		if (!row) throw notFound();
		await tx.insert(pc).values({
			eventId,
			placeholderId: row.placeholder.id,
			email: input.email,
			tokenHash: sha256(token),
			invitedBy: who.id,
			expiresAt: new Date(Date.now() + CLAIM_TTL_MS)
		});
		await logActivity(tx, {
			eventId,
			actorId: who.id,
			action: 'placeholder.claim_sent',
			data: { placeholderId: row.placeholder.id, name: row.placeholder.name, email: input.email }
		});
		return row.eventName;
	});
	await sendMail(
		await mailTo(input.email, () => ({
			subject: m.mail_claim_subject({ event: eventName }),
			text: m.mail_claim_text({ event: eventName, url: `${origin}/claim/${token}` })
		}))
	);
}

const openClaim = (token: string) =>
	and(eq(pc.tokenHash, sha256(token)), isNull(pc.usedAt), gt(pc.expiresAt, new Date()));

/**
 * What a claim link would bring to an account: counts per kind of contribution. Once the
 * signed-in person has accepted it, the same link says so (to them only).
 */
export async function describeClaim(actor: Actor, token: string) {
	const [row] = await db()
		.select({
			claim: pc,
			placeholder: ph,
			eventName: schema.events.name,
			eventSlug: schema.events.slug
		})
		.from(pc)
		.innerJoin(ph, eq(ph.id, pc.placeholderId))
		.innerJoin(schema.events, eq(schema.events.id, pc.eventId))
		.where(eq(pc.tokenHash, sha256(token)));
	if (!row) throw invalidClaim();
	const about = { name: row.placeholder.name, eventName: row.eventName, eventSlug: row.eventSlug };
	if (actor && row.claim.usedBy === actor.id) return { ...about, done: true as const };
	const open =
		row.claim.usedAt === null &&
		row.claim.expiresAt > new Date() &&
		row.placeholder.claimedAt === null &&
		row.placeholder.userId !== null;
	if (!open) throw invalidClaim();
	return {
		...about,
		done: false as const,
		holds: await holdings(row.placeholder.userId!, row.placeholder.eventId)
	};
}

export type ClaimHoldings = Awaited<ReturnType<typeof holdings>>;

async function holdings(userId: number, eventId: number) {
	const count = async (table: PgTable, column: PgColumn, sum?: PgColumn) => {
		const [r] = await db()
			.select({ n: sum ? sql<number>`coalesce(sum(${sum}), 0)::int` : sql<number>`count(*)::int` })
			.from(table)
			.where(eq(column, userId));
		return r.n;
	};
	const [valid] = await db()
		.select({ n: sql<number>`count(*)::int` })
		.from(schema.tickets)
		.where(
			and(
				eq(schema.tickets.holderId, userId),
				eq(schema.tickets.eventId, eventId),
				eq(schema.tickets.status, 'valid')
			)
		);
	return {
		proposals: await count(schema.conveners, schema.conveners.userId),
		comments: await count(schema.proposalComments, schema.proposalComments.authorId),
		notes: await count(schema.harvestItems, schema.harvestItems.createdBy),
		talks: await count(schema.talks, schema.talks.submitterId),
		dots: await count(schema.dots, schema.dots.userId, schema.dots.count),
		interest: await count(schema.interest, schema.interest.userId),
		attendance: await count(schema.sessionAttendance, schema.sessionAttendance.userId),
		directory: await count(schema.directoryEntries, schema.directoryEntries.userId),
		tickets: valid.n
	};
}

const invalidClaim = () => new DomainError('not_found', m.error_claim_invalid());

/**
 * Accept a claim as the signed-in person: the link is spent and the placeholder marked claimed
 * with single-row updates that only match while open, so of two accepts (of one link, or of
 * two links for one placeholder) exactly one goes on; then every row of the event that names
 * the placeholder names the account instead, and the placeholder account is deleted.
 */
export async function acceptClaim(actor: Actor, token: string): Promise<{ eventSlug: string }> {
	requireUser(actor);
	return db().transaction(async (tx) => {
		const [claim] = await tx
			.update(pc)
			.set({ usedAt: new Date(), usedBy: actor.id })
			.where(openClaim(token))
			.returning();
		if (!claim) throw invalidClaim();
		const [placeholder] = await tx
			.update(ph)
			.set({ claimedAt: new Date(), claimedBy: actor.id })
			.where(and(eq(ph.id, claim.placeholderId), isNull(ph.claimedAt)))
			.returning();
		if (!placeholder || placeholder.userId === null) throw invalidClaim();
		const from = placeholder.userId;
		await moveDots(tx, placeholder.eventId, from, actor.id);
		await moveTickets(tx, placeholder.eventId, from, actor.id);
		await moveMergeRecords(tx, placeholder.eventId, from, actor.id);
		await moveRows(tx, from, actor.id);
		await tx.delete(schema.users).where(eq(schema.users.id, from));
		await logActivity(tx, {
			eventId: placeholder.eventId,
			actorId: actor.id,
			action: 'placeholder.claimed',
			data: { placeholderId: placeholder.id, name: placeholder.name }
		});
		const [event] = await tx
			.select({ slug: schema.events.slug })
			.from(schema.events)
			.where(eq(schema.events.id, placeholder.eventId));
		return { eventSlug: event.slug };
	});
}

/** Handled before the generic move: tickets and orders, dots and budgets, merge records. */
const SPECIAL = new Set(['orders', 'tickets', 'waitingList', 'dots', 'dotBudgets', 'merges']);

/**
 * Every other column naming a person, in every section an import writes. A placeholder only
 * ever appears in its own event's rows. Where the account already has a row with the same key
 * (a convener of the same proposal, "I'd come" on it, a directory entry…), the account's row
 * stays and the placeholder's is dropped, so nothing is counted twice.
 */
async function moveRows(tx: Tx, from: number, to: number) {
	for (const section of SECTION_INFO) {
		if (SPECIAL.has(section.key)) continue;
		for (const c of section.columns.filter((x) => x.ref === PEOPLE)) {
			const keyed = section.keyColumns.includes(c.key);
			if (keyed) {
				const others = section.keyColumns
					.filter((k) => k !== c.key)
					.map((k) => toSnakeCase(section.columns.find((x) => x.key === k)!.column.name));
				const table = section.table;
				const col = sql.identifier(toSnakeCase(c.column.name));
				const same = sql.join(
					others.map((o) => sql`mine.${sql.identifier(o)} = ${table}.${sql.identifier(o)}`),
					sql` and `
				);
				await tx.execute(sql`delete from ${table} where ${col} = ${from}
					and exists (select 1 from ${table} mine where mine.${col} = ${to} and ${same})`);
			}
			await tx
				.update(section.table)
				.set({ [c.key]: to })
				.where(eq(c.column, from));
		}
	}
}

/**
 * Dots come over only within the round's limits: per proposal up to `perProposalLimit`
 * together with the account's own, and in all up to the budget. The account's budget row is
 * locked first, as a vote locks it. Dots that do not fit are dropped (given back).
 */
async function moveDots(tx: Tx, eventId: number, from: number, to: number) {
	const d = schema.dots;
	const b = schema.dotBudgets;
	const theirs = await tx
		.select({ roundId: d.roundId, proposalId: d.proposalId, count: d.count })
		.from(d)
		.innerJoin(schema.rounds, eq(schema.rounds.id, d.roundId))
		.where(and(eq(d.userId, from), eq(schema.rounds.eventId, eventId), gt(d.count, 0)))
		.orderBy(asc(d.roundId), asc(d.proposalId));
	const rounds = [...new Set(theirs.map((x) => x.roundId))];
	for (const roundId of rounds) {
		const [round] = await tx.select().from(schema.rounds).where(eq(schema.rounds.id, roundId));
		await tx.insert(b).values({ roundId, userId: to, used: 0 }).onConflictDoNothing();
		await tx
			.select()
			.from(b)
			.where(and(eq(b.roundId, roundId), eq(b.userId, to)))
			.for('update');
		const mine = await tx
			.select({ proposalId: d.proposalId, count: d.count })
			.from(d)
			.where(and(eq(d.roundId, roundId), eq(d.userId, to)));
		let used = mine.reduce((n, x) => n + x.count, 0);
		for (const dot of theirs.filter((x) => x.roundId === roundId)) {
			const already = mine.find((x) => x.proposalId === dot.proposalId)?.count ?? 0;
			const add = Math.min(
				dot.count,
				Math.max(0, round.perProposalLimit - already),
				Math.max(0, round.dotBudget - used)
			);
			if (add === 0) continue;
			used += add;
			await tx
				.insert(d)
				.values({ roundId, proposalId: dot.proposalId, userId: to, count: add })
				.onConflictDoUpdate({
					target: [d.proposalId, d.userId],
					set: { count: sql`${d.count} + ${add}` }
				});
		}
		await tx
			.update(b)
			.set({ used })
			.where(and(eq(b.roundId, roundId), eq(b.userId, to)));
	}
	await tx.delete(d).where(eq(d.userId, from));
	await tx.delete(b).where(eq(b.userId, from));
}

/**
 * A ticket, its order and a waiting-list place come over only when the account has no valid
 * ticket for the event: one person holds one ticket, and no seat is added or freed. Otherwise
 * the placeholder's keep their seat without a holder, as a deleted account's do.
 */
async function moveTickets(tx: Tx, eventId: number, from: number, to: number) {
	const t = schema.tickets;
	const [own] = await tx
		.select({ id: t.id })
		.from(t)
		.where(and(eq(t.eventId, eventId), eq(t.holderId, to), eq(t.status, 'valid')))
		.limit(1);
	if (own) return;
	await tx.update(t).set({ holderId: to }).where(eq(t.holderId, from));
	await tx.update(t).set({ checkedInBy: to }).where(eq(t.checkedInBy, from));
	await tx.update(schema.orders).set({ buyerId: to }).where(eq(schema.orders.buyerId, from));
	await tx
		.update(schema.waitingList)
		.set({ userId: to })
		.where(eq(schema.waitingList.userId, from));
}

/** A merge remembers whose conveners, marks and dots it moved, to undo them: renamed too. */
async function moveMergeRecords(tx: Tx, eventId: number, from: number, to: number) {
	const mg = schema.merges;
	const swap = (ids: number[]) => [...new Set(ids.map((id) => (id === from ? to : id)))];
	const rows = await tx
		.select()
		.from(mg)
		.where(
			and(
				eq(mg.eventId, eventId),
				or(
					sql`${mg.addedConveners} @> ${JSON.stringify([from])}::jsonb`,
					sql`${mg.movedInterest} @> ${JSON.stringify([from])}::jsonb`,
					sql`${mg.moved} @> ${JSON.stringify([{ userId: from }])}::jsonb`
				) as SQL
			)
		);
	for (const row of rows) {
		const moved = row.moved as MovedDots[];
		const hasOwn = moved.some((x) => x.userId === to);
		await tx
			.update(mg)
			.set({
				addedConveners: swap(row.addedConveners as number[]),
				movedInterest: swap(row.movedInterest as number[]),
				// The account's own record of a merge wins: undoing it never returns more dots.
				moved: moved.flatMap((x) =>
					x.userId !== from ? [x] : hasOwn ? [] : [{ ...x, userId: to }]
				)
			})
			.where(eq(mg.id, row.id));
	}
	await tx.update(mg).set({ mergedBy: to }).where(eq(mg.mergedBy, from));
	await tx.update(mg).set({ undoneBy: to }).where(eq(mg.undoneBy, from));
}
