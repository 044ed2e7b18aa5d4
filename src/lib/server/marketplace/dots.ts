import { and, asc, eq, gt, sql } from 'drizzle-orm';
import type { DotState } from '$lib/live/topics';
import { m } from '$lib/paraglide/messages';
import { ROUND_PHASES } from '$lib/constants';
import { phaseAllows } from '$lib/marketplace/phases';
import { requireUser, type Actor } from '../auth/guards';
import { db, prepared, schema, type Tx } from '../db';
import { invalid } from '../core/errors';
import { REFUSALS, type Refusal } from '../core/refusals';
import { roundOf, type Round } from './rounds';
import type { MovedDots } from '../db/schema/marketplace';

// Dot-voting, and the one module that writes the dot ledger (`dots`, `dot_budgets`): votes
// here, through the database function `dot_vote`, and the moves a merge makes, through the
// functions below that it calls inside its own transaction. Each ticket holder has a budget of
// dots per round and a limit per proposal. Both are counters changed only by guarded UPDATEs in
// one statement (budget row first, then the proposal's row), so the same person voting from two
// phones at once queues on the row locks and can never pass either limit; a refused dot leaves
// both as they were. Locks are always taken in the order proposal, budget, proposal's dots.

const d = schema.dots;
const b = schema.dotBudgets;

/** What is left of a voter's budget in a round once `used` dots are placed. */
const dotsLeft = (round: Pick<Round, 'dotBudget'>, used: number) => round.dotBudget - used;

/** The phases in which dots are placed and taken back, as the phase table says. */
const VOTING_PHASES = ROUND_PHASES.filter((p) => phaseAllows(p, 'vote')).join(',');

type VoteRow = {
	outcome: 'done' | Refusal | 'budget' | 'limit';
	dot_total: number;
	dot_mine: number;
	dots_left: number;
};

const refusals: Record<Exclude<VoteRow['outcome'], 'done'>, () => Error> = {
	...REFUSALS,
	budget: () => invalid({ _form: m.error_dot_budget() }),
	limit: () => invalid({ _form: m.error_dot_limit() })
};

/**
 * One dot placed or taken back, as one prepared statement: `dot_vote` (migration
 * 0013_dot_in_one_statement) checks the proposal is open and of this event, the ticket, the
 * round's phase, then moves the guarded counters and announces the proposal's new total through
 * `live_publish`, the live hub's own statement (the `dots` topic's payload). A refused dot leaves
 * the ledger as it was.
 */
async function vote(
	actor: NonNullable<Actor>,
	eventId: number,
	proposalId: number,
	add: boolean
): Promise<DotState> {
	const [row] = await prepared<VoteRow>('select * from dot_vote($1, $2, $3, $4, $5)', [
		eventId,
		proposalId,
		actor.id,
		add,
		VOTING_PHASES
	]);
	if (row.outcome !== 'done') throw refusals[row.outcome]();
	return { proposalId, total: row.dot_total, mine: row.dot_mine, left: row.dots_left };
}

export async function castDot(
	actor: Actor,
	eventId: number,
	proposalId: number
): Promise<DotState> {
	requireUser(actor);
	return vote(actor, eventId, proposalId, true);
}

/** Take one of my dots back off a proposal (nothing happens when there is none). */
export async function takeDot(
	actor: Actor,
	eventId: number,
	proposalId: number
): Promise<DotState> {
	requireUser(actor);
	return vote(actor, eventId, proposalId, false);
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
