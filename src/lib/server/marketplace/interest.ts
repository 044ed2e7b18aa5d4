import { and, count, eq } from 'drizzle-orm';
import { requireParticipant, requireUser, type Actor } from '../auth/guards';
import { db, schema, type Tx } from '../db';
import { notFound } from '../core/errors';
import { live } from '../live/hub';
import { requirePhase, roundOf } from './rounds';

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

/**
 * An open proposal of this event in a round still taking marks. Held with a shared lock: a merge
 * locks both proposals for update, so no mark lands on either while marks move across.
 */
async function markable(tx: Tx, eventId: number, proposalId: number) {
	const [proposal] = await tx
		.select()
		.from(p)
		.where(and(eq(p.id, proposalId), eq(p.eventId, eventId)))
		.for('share');
	if (!proposal || proposal.status !== 'open') throw notFound();
	requirePhase(await roundOf(tx, eventId, proposal.roundId), 'markInterest');
	return proposal;
}

async function announce(tx: Tx, eventId: number, proposalId: number) {
	const [row] = await tx.select({ count: count() }).from(i).where(eq(i.proposalId, proposalId));
	await live().publish(eventId, 'interest', { proposalId, count: row.count }, tx);
	return row.count;
}

export async function markInterest(
	actor: Actor,
	eventId: number,
	proposalId: number
): Promise<InterestState> {
	requireUser(actor);
	return db().transaction(async (tx) => {
		await markable(tx, eventId, proposalId);
		await requireParticipant(actor, eventId, null, tx);
		await tx.insert(i).values({ proposalId, userId: actor.id }).onConflictDoNothing();
		return { proposalId, count: await announce(tx, eventId, proposalId), mine: true };
	});
}

/** Take one's own mark off (without a ticket too: someone who gave theirs back may tidy up). */
export async function unmarkInterest(
	actor: Actor,
	eventId: number,
	proposalId: number
): Promise<InterestState> {
	requireUser(actor);
	return db().transaction(async (tx) => {
		await markable(tx, eventId, proposalId);
		await tx.delete(i).where(and(eq(i.proposalId, proposalId), eq(i.userId, actor.id)));
		return { proposalId, count: await announce(tx, eventId, proposalId), mine: false };
	});
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
