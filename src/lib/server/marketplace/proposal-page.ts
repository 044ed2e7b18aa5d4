import { isVisible } from '$lib/marketplace/phases';
import type { Actor } from '../auth/guards';
import { notFound } from '../core/errors';
import { listComments } from './comments';
import { dotTotals } from './dots';
import { interestCounts, myInterest } from './interest';
import { mergeRequestsOf } from './merge-requests';
import { listProposals, proposalDetail, proposalHistory } from './proposals';
import { marketplaceRole, proposalRights } from './rights';

/**
 * Everything a proposal's page shows, and what this person may do on it: another event's
 * proposal is not found, and so is one in a round not open yet unless
 * this person runs the marketplace. Merge requests say whether this person may decide or withdraw each.
 */
export async function proposalPage(actor: Actor, eventId: number, proposalId: number) {
	const proposal = await proposalDetail(eventId, proposalId);
	const [history, role, totals, comments, interest, marked, requests] = await Promise.all([
		proposalHistory(eventId, proposal.id),
		marketplaceRole(actor, eventId),
		dotTotals(proposal.roundId),
		listComments(eventId, proposal.id),
		interestCounts(proposal.roundId),
		myInterest(actor, eventId, proposal.roundId),
		mergeRequestsOf(eventId, proposal.id)
	]);
	// A round not open yet is hidden from attendees, its proposals too (kept from an earlier opening).
	if (!isVisible(proposal.round.phase) && !role.run) throw notFound();
	const rights = proposalRights(role, actor, proposal, proposal.round.phase);
	// Only a convener who may ask for a merge needs the round's other proposals to choose from.
	const others = rights.requestMerge ? await listProposals(eventId, proposal.roundId) : null;
	return {
		proposal,
		total: totals.get(proposal.id) ?? 0,
		interest: interest.get(proposal.id) ?? 0,
		marked: marked.has(proposal.id),
		history,
		comments,
		rights,
		mergeRequests: requests.map((r) => ({
			id: r.id,
			source: r.source,
			target: r.target,
			requester: r.requester,
			canDecide: !!actor && r.deciders.includes(actor.id),
			canWithdraw: !!actor && r.requestedBy === actor.id
		})),
		mergeCandidates:
			others?.filter((x) => x.id !== proposal.id).map((x) => ({ id: x.id, title: x.title })) ?? null
	};
}
