import type { RoundPhase, SessionFormat } from '$lib/constants';

// The shape of a round's board as the server reads it (server/marketplace/board.ts) and every
// screen shows it: the attendees' marketplace, the wall, the facilitator's page.

export interface BoardCard {
	id: number;
	title: string;
	question: string;
	format: SessionFormat;
	groupSize: number | null;
	conveners: string[];
	total: number;
	interest: number;
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
