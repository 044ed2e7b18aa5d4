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
