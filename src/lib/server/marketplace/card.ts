import { and, eq, sql } from 'drizzle-orm';
import type { BoardCard } from '$lib/marketplace/board';
import { schema, type Tx } from '../db';
import { live } from '../live/hub';
import { convenersOf, type Convener } from './conveners';

// A proposal's card as every board shows it, and the `proposal` live message that carries it:
// screens put the new card in place (or take it off when the proposal left the board) instead
// of reloading. Conveners appear by their shown names only, as convenersOf reads them.

const p = schema.proposals;

type CardSource = Pick<BoardCard, 'id' | 'title' | 'question' | 'format' | 'groupSize'> & {
	conveners: Convener[];
};

/** A proposal as a board's card, with its dot total and "I'd come" count. */
export const toCard = (x: CardSource, total: number, interest: number): BoardCard => ({
	id: x.id,
	title: x.title,
	question: x.question,
	format: x.format,
	groupSize: x.groupSize,
	conveners: x.conveners.map((c) => c.name),
	total,
	interest
});

/**
 * Announce a proposal's card in the transaction that changed it. The proposal's row is held
 * (shared) first, so no dot or mark on it commits between this read and this commit: the card's
 * total and count are never older than a `dots` or `interest` message sent before it. A proposal
 * that is no longer open (merged away) goes out as `card: null`.
 */
export async function announceCard(tx: Tx, eventId: number, proposalId: number) {
	const [row] = await tx
		.select({
			id: p.id,
			roundId: p.roundId,
			status: p.status,
			title: p.title,
			question: p.question,
			format: p.format,
			groupSize: p.groupSize,
			// Written out with their tables: drizzle leaves columns unqualified in a one-table query.
			total: sql<number>`(select coalesce(sum(d.count), 0)::int from dots d where d.proposal_id = proposals.id)`,
			interest: sql<number>`(select count(*)::int from interest i where i.proposal_id = proposals.id)`
		})
		.from(p)
		.where(and(eq(p.id, proposalId), eq(p.eventId, eventId)))
		.for('share');
	if (!row) return;
	const conveners = (await convenersOf(tx, [proposalId])).get(proposalId) ?? [];
	const card =
		row.status === 'open' ? toCard({ ...row, conveners }, row.total, row.interest) : null;
	await live().publish(eventId, 'proposal', { roundId: row.roundId, proposalId, card }, tx);
}
