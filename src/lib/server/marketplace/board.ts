import type { RoundBoard } from '$lib/marketplace/board';
import { isLive, isVisible } from '$lib/marketplace/phases';
import type { Actor } from '../auth/guards';
import { toCard } from './card';
import { dotTotals, myDots } from './dots';
import { interestCounts, myInterest } from './interest';
import { proposalsWithConveners } from './proposals';
import { marketplaceRole, roundRights } from './rights';
import { listRounds, type Round } from './rounds';

// A round's board, read one way for every screen that shows it (the attendees' marketplace, the
// wall, the facilitator's page): its open proposals with conveners, dots and "I'd come" marks.
// Instants go out as ISO strings with the server's clock beside them, so every countdown ticks
// from the server's time whatever the screen's own clock says.

async function roundBoard(eventId: number, round: Round): Promise<RoundBoard> {
	const [proposals, totals, interest] = await Promise.all([
		proposalsWithConveners(eventId, round.id),
		dotTotals(round.id),
		interestCounts(round.id)
	]);
	const cards = proposals.map((x) => toCard(x, totals.get(x.id) ?? 0, interest.get(x.id) ?? 0));
	// While people still vote, cards keep their place; afterwards the most dotted come first.
	if (!isLive(round.phase)) cards.sort((a, b) => b.total - a.total);
	return {
		id: round.id,
		title: round.title,
		phase: round.phase,
		phaseEndsAt: round.phaseEndsAt?.toISOString() ?? null,
		dotBudget: round.dotBudget,
		perProposalLimit: round.perProposalLimit,
		proposals: cards
	};
}

/** These rounds of the event (all of them, oldest first, by default) and the server's clock. */
export async function marketplaceBoard(eventId: number, rounds?: Round[]) {
	const list = rounds ?? (await listRounds(eventId));
	return {
		rounds: await Promise.all(list.map((round) => roundBoard(eventId, round))),
		serverNow: new Date().toISOString()
	};
}

/**
 * The marketplace as one person sees it: the rounds under way first (oldest first: today's before
 * tomorrow's), each with what they may do in it and their own dots and marks; then the rounds not
 * open yet that have an opening time (only their title and that time); then the earlier ones,
 * newest first. A round not open yet without an opening time is not shown at all.
 */
export async function attendeeBoard(actor: Actor, eventId: number) {
	const all = await listRounds(eventId);
	const [board, role] = await Promise.all([
		marketplaceBoard(
			eventId,
			all.filter((r) => isVisible(r.phase))
		),
		marketplaceRole(actor, eventId)
	]);
	const rounds = await Promise.all(
		board.rounds.map(async (round) => {
			const rights = roundRights(role, round.phase);
			const [mine, marked] = await Promise.all([
				rights.vote ? myDots(actor, eventId, round.id) : null,
				myInterest(actor, eventId, round.id)
			]);
			return {
				...round,
				rights,
				left: mine?.left ?? null,
				proposals: round.proposals.map((x) => ({
					...x,
					mine: mine?.perProposal.get(x.id) ?? 0,
					marked: marked.has(x.id)
				}))
			};
		})
	);
	const upcoming = all
		.filter((r) => !isVisible(r.phase) && r.phaseEndsAt)
		.map((r) => ({ id: r.id, title: r.title, opensAt: r.phaseEndsAt!.toISOString() }))
		.sort((a, b) => a.opensAt.localeCompare(b.opensAt));
	return {
		role,
		current: rounds.filter((r) => isLive(r.phase)),
		upcoming,
		earlier: rounds.filter((r) => !isLive(r.phase)).reverse(),
		serverNow: board.serverNow
	};
}
