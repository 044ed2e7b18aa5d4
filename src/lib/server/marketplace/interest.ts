import { and, count, eq } from 'drizzle-orm';
import { ROUND_PHASES } from '$lib/constants';
import { phaseAllows } from '$lib/marketplace/phases';
import { requireUser, type Actor } from '../auth/guards';
import { db, prepared, schema } from '../db';
import { REFUSALS, type Refusal } from '../core/refusals';
import { roundOf } from './rounds';

// "I'd come": a ticket holder says they would join a session, whether or not they place dots on
// it. One mark per person per proposal (the primary key), so a second click from another phone
// changes nothing. Marks are taken until voting closes; the agenda uses them to size rooms.
// Like dots, marks are not written to the activity log: they are many and say nothing to audit.

const i = schema.interest;
const p = schema.proposals;

export interface InterestState {
	proposalId: number;
	count: number;
	mine: boolean;
}

/** The phases in which marks are made and taken off, as the phase table says. */
const MARKING_PHASES = ROUND_PHASES.filter((x) => phaseAllows(x, 'markInterest')).join(',');

type MarkRow = { outcome: 'done' | Refusal; marks: number };

/**
 * One mark made or taken off, as one prepared statement: `interest_mark` (migration
 * 0017_hot_writes) checks the proposal is open and of this event, the round's phase and, for a
 * new mark, the ticket; then writes the mark and announces the proposal's new count (the
 * `interest` topic's payload) through `live_publish`. Marks on one proposal take turns on its
 * row, so the counts are announced in commit order; a merge locks the row too, so no mark lands
 * on either proposal while marks move across.
 */
async function mark(
	actor: NonNullable<Actor>,
	eventId: number,
	proposalId: number,
	add: boolean
): Promise<InterestState> {
	const [row] = await prepared<MarkRow>('select * from interest_mark($1, $2, $3, $4, $5)', [
		eventId,
		proposalId,
		actor.id,
		add,
		MARKING_PHASES
	]);
	if (row.outcome !== 'done') throw REFUSALS[row.outcome]();
	return { proposalId, count: row.marks, mine: add };
}

export async function markInterest(
	actor: Actor,
	eventId: number,
	proposalId: number
): Promise<InterestState> {
	requireUser(actor);
	return mark(actor, eventId, proposalId, true);
}

/** Take one's own mark off (without a ticket too: someone who gave theirs back may tidy up). */
export async function unmarkInterest(
	actor: Actor,
	eventId: number,
	proposalId: number
): Promise<InterestState> {
	requireUser(actor);
	return mark(actor, eventId, proposalId, false);
}

/** Marks per open proposal of a round (a merged-away proposal's marks are not counted). */
export async function interestCounts(roundId: number): Promise<Map<number, number>> {
	const rows = await db()
		.select({ proposalId: i.proposalId, count: count() })
		.from(i)
		.innerJoin(p, eq(p.id, i.proposalId))
		.where(and(eq(p.roundId, roundId), eq(p.status, 'open')))
		.groupBy(i.proposalId);
	return new Map(rows.map((r) => [r.proposalId, r.count]));
}

/** The proposals of a round this person marked. */
export async function myInterest(actor: Actor, eventId: number, roundId: number) {
	if (!actor) return new Set<number>();
	const round = await roundOf(db(), eventId, roundId);
	const rows = await db()
		.select({ proposalId: i.proposalId })
		.from(i)
		.innerJoin(p, eq(p.id, i.proposalId))
		.where(and(eq(p.roundId, round.id), eq(p.eventId, eventId), eq(i.userId, actor.id)));
	return new Set(rows.map((r) => r.proposalId));
}
