import { and, asc, eq, gt, sql } from 'drizzle-orm';
import type { DotState } from '$lib/live/topics';
import { m } from '$lib/paraglide/messages';
import { requireParticipant, requireUser, type Actor } from '../auth/guards';
import { db, schema, type Tx } from '../db';
import { invalid, notFound } from '../core/errors';
import { live } from '../live/hub';
import { requirePhase, roundOf, type Round } from './rounds';
import type { MovedDots } from '../db/schema/marketplace';

// Dot-voting, and the one module that writes the dot ledger (`dots`, `dot_budgets`): votes
// here, and the moves a merge makes, through the functions below that it calls inside its own
// transaction. Each ticket holder has a budget of dots per round and a limit per proposal.
// Both are counters changed only by guarded UPDATEs in one transaction (budget row first,
// then the proposal's row), so the same person voting from two phones at once queues on the
// row locks and can never pass either limit; a refused dot rolls the whole step back. Locks are
// always taken in the order proposal, budget, proposal's dots.

const d = schema.dots;
const b = schema.dotBudgets;

async function votingProposal(
	tx: Tx,
	actor: NonNullable<Actor>,
	eventId: number,
	proposalId: number
) {
	const [proposal] = await tx
		.select()
		.from(schema.proposals)
		.where(and(eq(schema.proposals.id, proposalId), eq(schema.proposals.eventId, eventId)))
		// Dots on one proposal take turns, so each announces the exact total in commit order
		// (screens keep the last one they get); a merge's FOR UPDATE also waits for them.
		.for('no key update');
	if (!proposal || proposal.status !== 'open') throw notFound();
	await requireParticipant(actor, eventId, null, tx);
	const round = await roundOf(tx, eventId, proposal.roundId);
	requirePhase(round, 'vote');
	return { proposal, round };
}

/** What is left of a voter's budget in a round once `used` dots are placed. */
const dotsLeft = (round: Pick<Round, 'dotBudget'>, used: number) => round.dotBudget - used;

async function announce(tx: Tx, eventId: number, roundId: number, proposalId: number) {
	const [row] = await tx
		.select({ total: sql<number>`coalesce(sum(${d.count}), 0)::int` })
		.from(d)
		.where(eq(d.proposalId, proposalId));
	await live().publish(eventId, 'dots', { roundId, proposalId, total: row.total }, tx);
	return row.total;
}

export async function castDot(
	actor: Actor,
	eventId: number,
	proposalId: number
): Promise<DotState> {
	requireUser(actor);
	return db().transaction(async (tx) => {
		const { proposal, round } = await votingProposal(tx, actor, eventId, proposalId);
		await tx.insert(b).values({ roundId: round.id, userId: actor.id }).onConflictDoNothing();
		const [budget] = await tx
			.update(b)
			.set({ used: sql`${b.used} + 1` })
			.where(
				and(eq(b.roundId, round.id), eq(b.userId, actor.id), sql`${b.used} < ${round.dotBudget}`)
			)
			.returning();
		if (!budget) throw invalid({ _form: m.error_dot_budget() });
		const [dot] = await tx
			.insert(d)
			.values({ proposalId: proposal.id, userId: actor.id, roundId: round.id, count: 1 })
			.onConflictDoUpdate({
				target: [d.proposalId, d.userId],
				set: { count: sql`${d.count} + 1` },
				setWhere: sql`${d.count} < ${round.perProposalLimit}`
			})
			.returning();
		if (!dot) throw invalid({ _form: m.error_dot_limit() });
		const total = await announce(tx, eventId, round.id, proposal.id);
		return { proposalId, total, mine: dot.count, left: dotsLeft(round, budget.used) };
	});
}

/** Take one of my dots back off a proposal (nothing happens when there is none). */
export async function takeDot(
	actor: Actor,
	eventId: number,
	proposalId: number
): Promise<DotState> {
	requireUser(actor);
	return db().transaction(async (tx) => {
		const { proposal, round } = await votingProposal(tx, actor, eventId, proposalId);
		// Same lock order as castDot: the budget row, then the proposal's row.
		const [locked] = await tx
			.select()
			.from(b)
			.where(and(eq(b.roundId, round.id), eq(b.userId, actor.id)))
			.for('update');
		const [dot] = await tx
			.update(d)
			.set({ count: sql`${d.count} - 1` })
			.where(and(eq(d.proposalId, proposal.id), eq(d.userId, actor.id), gt(d.count, 0)))
			.returning();
		let used = locked?.used ?? 0;
		if (dot) {
			used -= 1;
			await tx
				.update(b)
				.set({ used })
				.where(and(eq(b.roundId, round.id), eq(b.userId, actor.id)));
		}
		const total = await announce(tx, eventId, round.id, proposal.id);
		return { proposalId, total, mine: dot?.count ?? 0, left: dotsLeft(round, used) };
	});
}

/** A voter's dots in a round, per proposal, and what is left of the budget. */
export async function myDots(actor: Actor, eventId: number, roundId: number) {
	requireUser(actor);
	const round = await roundOf(db(), eventId, roundId);
	const [rows, [budget]] = await Promise.all([
		db()
			.select({ proposalId: d.proposalId, count: d.count })
			.from(d)
			.where(and(eq(d.roundId, round.id), eq(d.userId, actor.id), gt(d.count, 0))),
		db()
			.select({ used: b.used })
			.from(b)
			.where(and(eq(b.roundId, round.id), eq(b.userId, actor.id)))
	]);
	return {
		perProposal: new Map(rows.map((r) => [r.proposalId, r.count])),
		left: dotsLeft(round, budget?.used ?? 0)
	};
}

export async function dotTotals(roundId: number): Promise<Map<number, number>> {
	const rows = await db()
		.select({ proposalId: d.proposalId, total: sql<number>`sum(${d.count})::int` })
		.from(d)
		.where(eq(d.roundId, roundId))
		.groupBy(d.proposalId);
	if (!rows.length) return new Map();
	return new Map(rows.map((r) => [r.proposalId, r.total]));
}

// What a merge does to the ledger. The caller has locked both proposals for update; here each
// voter's budget row is locked before their dots, the order a vote takes them in.

async function lockBudget(tx: Tx, roundId: number, userId: number) {
	const [row] = await tx
		.select()
		.from(b)
		.where(and(eq(b.roundId, roundId), eq(b.userId, userId)))
		.for('update');
	return row?.used ?? 0;
}

const setUsed = (tx: Tx, roundId: number, userId: number, used: number) =>
	tx
		.update(b)
		.set({ used })
		.where(and(eq(b.roundId, roundId), eq(b.userId, userId)));

async function dotsOf(tx: Tx, proposalId: number, userId: number): Promise<number> {
	const [row] = await tx
		.select({ count: d.count })
		.from(d)
		.where(and(eq(d.proposalId, proposalId), eq(d.userId, userId)))
		.for('update');
	return row?.count ?? 0;
}

async function setDots(tx: Tx, roundId: number, proposalId: number, userId: number, count: number) {
	await tx
		.insert(d)
		.values({ proposalId, userId, roundId, count })
		.onConflictDoUpdate({ target: [d.proposalId, d.userId], set: { count } });
}

/**
 * Move every voter's dots from the merged-away proposal onto the kept one, never past the
 * round's per-proposal limit: what would go over goes back to the voter's budget. Returns what
 * moved, voter by voter, for the merge's record (and its undo).
 */
export async function moveDots(
	tx: Tx,
	round: Round,
	sourceId: number,
	targetId: number
): Promise<MovedDots[]> {
	const voters = await tx
		.select({ userId: d.userId })
		.from(d)
		.where(and(eq(d.proposalId, sourceId), gt(d.count, 0)))
		.orderBy(asc(d.userId));
	const moved: MovedDots[] = [];
	for (const { userId } of voters) {
		const used = await lockBudget(tx, round.id, userId);
		const fromSource = await dotsOf(tx, sourceId, userId);
		const targetBefore = await dotsOf(tx, targetId, userId);
		const kept = Math.min(round.perProposalLimit, targetBefore + fromSource);
		const returned = targetBefore + fromSource - kept;
		await setDots(tx, round.id, targetId, userId, kept);
		await setDots(tx, round.id, sourceId, userId, 0);
		if (returned) await setUsed(tx, round.id, userId, used - returned);
		moved.push({ userId, fromSource, targetBefore, returned });
	}
	return moved;
}

/**
 * Undo what `moveDots` did: dots still on the kept proposal move back, and dots that went back
 * to a budget are placed again only as far as what is left of it now allows.
 */
export async function moveDotsBack(
	tx: Tx,
	round: Round,
	sourceId: number,
	targetId: number,
	moved: MovedDots[]
): Promise<void> {
	for (const x of moved) {
		const used = await lockBudget(tx, round.id, x.userId);
		const onTarget = await dotsOf(tx, targetId, x.userId);
		const movedBack = Math.min(x.fromSource - x.returned, onTarget);
		const again = Math.min(x.returned, dotsLeft(round, used));
		await setDots(tx, round.id, targetId, x.userId, onTarget - movedBack);
		await setDots(tx, round.id, sourceId, x.userId, movedBack + again);
		if (again) await setUsed(tx, round.id, x.userId, used + again);
	}
}
