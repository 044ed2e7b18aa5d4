import type { RoundPhase, SessionFormat } from '$lib/constants';
import type { LiveTopics } from '$lib/live/topics';

// The shape of a round's board as the server reads it (server/marketplace/board.ts) and every
// screen shows it: the attendees' marketplace, the wall, the facilitator's page.

/** A proposal on a board; it also travels whole in the `proposal` live message. */
export type BoardCard = {
	id: number;
	title: string;
	question: string;
	format: SessionFormat;
	groupSize: number | null;
	/** Shown names only. */
	conveners: string[];
	total: number;
	interest: number;
};

/**
 * A round's cards with one `proposal` live message applied: the proposal's new card in its
 * place (at the end when it is new to the round), or taken off when it left the board. `extend`
 * adds what a screen keeps beside a card (the old one when there was one).
 */
export function withCard<T extends BoardCard>(
	cards: T[],
	roundId: number,
	news: LiveTopics['proposal'],
	extend: (card: BoardCard, old: T | undefined) => T
): T[] {
	if (news.roundId !== roundId) return cards;
	const { card } = news;
	if (!card) return cards.filter((x) => x.id !== news.proposalId);
	const at = cards.findIndex((x) => x.id === card.id);
	if (at < 0) return [...cards, extend(card, undefined)];
	return cards.map((x, i) => (i === at ? extend(card, x) : x));
}

export interface RoundBoard {
	id: number;
	title: string;
	phase: RoundPhase;
	/** ISO instant, read against the server's clock sent beside it (`serverNow`). */
	phaseEndsAt: string | null;
	dotBudget: number;
	perProposalLimit: number;
	proposals: BoardCard[];
}

/** A session of a published agenda as the wall shows it (instants as ISO strings). */
export interface WallSession {
	id: number;
	room: string;
	title: string;
	conveners: string[];
	startsAt: string;
	endsAt: string;
}

/** A block of a published agenda on the wall, its sessions room by room. */
export interface WallBlock {
	title: string;
	startsAt: string;
	endsAt: string;
	sessions: WallSession[];
}
