import { and, eq, gt, sql } from 'drizzle-orm';
import { m } from '$lib/paraglide/messages';
import { requireParticipant, requireUser, type Actor } from '../auth/guards';
import { db, schema, type Tx } from '../db';
import { invalid, notFound } from '../core/errors';
import { live } from '../live/hub';
import { requirePhase, roundOf } from './rounds';

// Dot-voting. Each ticket holder has a budget of dots per round and a limit per proposal.
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

export interface DotState {
	proposalId: number;
	/** All dots on the proposal. */
	total: number;
	/** This voter's dots on it, and what is left of their budget in the round. */
	mine: number;
	left: number;
}

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
		return { proposalId, total, mine: dot.count, left: round.dotBudget - budget.used };
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
		return { proposalId, total, mine: dot?.count ?? 0, left: round.dotBudget - used };
	});
}

/** A voter's dots in a round, per proposal, and what is left of the budget. */
export async function myDots(actor: Actor, eventId: number, roundId: number) {
	requireUser(actor);
	const round = await roundOf(db(), eventId, roundId);
	const rows = await db()
		.select({ proposalId: d.proposalId, count: d.count })
		.from(d)
		.where(and(eq(d.roundId, round.id), eq(d.userId, actor.id), gt(d.count, 0)));
	const used = rows.reduce((sum, r) => sum + r.count, 0);
	return {
		perProposal: new Map(rows.map((r) => [r.proposalId, r.count])),
		left: round.dotBudget - used
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
