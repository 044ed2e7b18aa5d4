import type { RoundPhase } from '$lib/constants';
import { phaseAllows, type PhaseAction } from '$lib/marketplace/phases';
import { participation, type Actor } from '../auth/guards';

// What a person may do in the marketplace, for showing or hiding its forms: the phase table
// and the participation rule, the same two the domain functions refuse by.

export interface MarketplaceRole {
	signedIn: boolean;
	/** Takes part: proposes, comments, suggests, joins (a ticket, or running the marketplace). */
	participant: boolean;
	/** Places dots and says "I'd come": a ticket, even for the people running the marketplace. */
	voter: boolean;
	/** Runs the marketplace (`marketplace.run`): edits any proposal, decides any suggestion. */
	run: boolean;
}

export async function marketplaceRole(actor: Actor, eventId: number): Promise<MarketplaceRole> {
	const [asTeam, asVoter] = await Promise.all([
		participation(actor, eventId, 'marketplace.run'),
		participation(actor, eventId)
	]);
	return { signedIn: !!actor, participant: !!asTeam, voter: !!asVoter, run: asTeam === 'team' };
}

/** What the person may do in a round in this phase, card by card alike. */
export function roundRights(role: MarketplaceRole, phase: RoundPhase) {
	return {
		propose: role.participant && phaseAllows(phase, 'propose'),
		vote: role.voter && phaseAllows(phase, 'vote'),
		markInterest: role.voter && phaseAllows(phase, 'markInterest')
	};
}

/** What the person may do on one proposal; only an open one (not merged away) takes anything. */
export function proposalRights(
	role: MarketplaceRole,
	actor: Actor,
	proposal: { status: string; conveners: { id: number }[] },
	phase: RoundPhase
) {
	const isConvener = !!actor && proposal.conveners.some((c) => c.id === actor.id);
	const may = (action: PhaseAction) => proposal.status === 'open' && phaseAllows(phase, action);
	const edit = may('edit') && (isConvener || role.run);
	return {
		isConvener,
		edit,
		// Conveners (and whoever runs the marketplace) take or leave suggestions: an edit.
		decide: edit,
		// Joining without a ticket is refused with a link to get one, so the button shows.
		join: may('join') && role.signedIn && !isConvener,
		comment: may('comment') && role.participant,
		suggest: may('suggest') && role.participant && !isConvener,
		markInterest: may('markInterest') && role.voter,
		requestMerge: may('requestMerge') && isConvener
	};
}
