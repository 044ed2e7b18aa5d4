import { asc, eq, inArray } from 'drizzle-orm';
import { schema, type Db, type Tx } from '../db';
import { shownName } from '../people/shown-name';

// Who convenes which proposal: read here for every screen and every rule that needs it
// (the cards, the agenda, merges and merge requests, who may edit), by their shown names.

export type Convener = { id: number; name: string };

/** The conveners of these proposals, by proposal, in the order they joined. */
export async function convenersOf(
	tx: Tx | Db,
	proposalIds: number[]
): Promise<Map<number, Convener[]>> {
	const byProposal = new Map<number, Convener[]>();
	if (!proposalIds.length) return byProposal;
	const c = schema.conveners;
	const rows = await tx
		.select({
			proposalId: c.proposalId,
			id: schema.users.id,
			name: shownName(schema.proposals.eventId)
		})
		.from(c)
		.innerJoin(schema.users, eq(schema.users.id, c.userId))
		.innerJoin(schema.proposals, eq(schema.proposals.id, c.proposalId))
		.where(inArray(c.proposalId, proposalIds))
		.orderBy(asc(c.joinedAt), asc(schema.users.id));
	for (const { proposalId, id, name } of rows) {
		byProposal.set(proposalId, [...(byProposal.get(proposalId) ?? []), { id, name }]);
	}
	return byProposal;
}

/** The user ids convening each of these proposals (an empty list for one nobody convenes). */
export async function convenerIdsOf(tx: Tx | Db, proposalIds: number[]) {
	const conveners = await convenersOf(tx, proposalIds);
	return new Map(proposalIds.map((id) => [id, (conveners.get(id) ?? []).map((c) => c.id)]));
}

/** Whether this person convenes the proposal. */
export async function convenes(tx: Tx | Db, proposalId: number, userId: number) {
	return (await convenerIdsOf(tx, [proposalId])).get(proposalId)!.includes(userId);
}
