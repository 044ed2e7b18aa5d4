import type { RoundPhase } from '$lib/constants';
import type { BoardCard } from '$lib/marketplace/board';

// Every message on an event's live stream, by topic: the payload `publish` must be given and the
// one a screen's `followLive` handler receives. Server and browser import this one map, so both
// ends are checked by the compiler. A payload travels as JSON: only strings (instants as ISO),
// numbers, booleans, null, arrays and plain objects, which `JsonOnly` below enforces.

/** A talk as the stage shows it. */
export type StageTalk = { id: number; title: string; presenters: string };

/** What is on stage, with the clock as read by the server at `at` (ISO). */
export type StageView = {
	current: StageTalk | null;
	next: StageTalk | null;
	running: boolean;
	/** Milliseconds left at `at`; negative once the talk has run over. */
	remainingMs: number;
	talkMs: number;
	at: string;
	position: number;
	total: number;
};

/** All dots on a proposal, as every screen shows them. */
export type DotTotal = { roundId: number; proposalId: number; total: number };

/** What a voter's own dot answers: the total, their dots on the proposal, what is left to place. */
export type DotState = Omit<DotTotal, 'roundId'> & { mine: number; left: number };

type Json = string | number | boolean | null | readonly Json[] | { readonly [key: string]: Json };
type JsonOnly<T extends { [topic: string]: Json }> = T;

export type LiveTopics = JsonOnly<{
	/**
	 * A round's agenda changed (a session placed, moved, published). `moved` says where moved or
	 * swapped sessions now are, so a board moves them in place; every screen then reloads it.
	 */
	agenda: { roundId: number; moved: { id: number; blockId: number; roomId: number }[] };
	/** A round moved to another phase; a phase with a countdown ends at `phaseEndsAt` (ISO). */
	phase: { roundId: number; phase: RoundPhase; phaseEndsAt: string | null };
	/** The host moved the stage or its clock. */
	stage: StageView;
	/** A dot was placed or taken back. */
	dots: DotTotal;
	/** Someone said "I'll be there" (or took it back) for a session of this block. */
	attendance: { blockId: number };
	/** A session's headcount of "I'm here". */
	presence: { blockId: number; sessionId: number; count: number };
	/** A comment or suggestion on a proposal. */
	comment: { proposalId: number };
	/** A harvest note changed; `field` names the part (or `review` for an organiser's mark). */
	harvest: { sessionId: number; field: string };
	/** The event report changed; `change` is the activity's name. */
	report: { change: string };
	/**
	 * A proposal was added, edited, joined, merged or unmerged: its new card as the board shows
	 * it (conveners by their shown names), or null when it left the board (merged away), so
	 * screens change the card in place.
	 */
	proposal: { roundId: number; proposalId: number; card: BoardCard | null };
	/** How many people would come to a proposal. */
	interest: { proposalId: number; count: number };
	/** The lightning-talk programme changed: screens showing it reload it. */
	programme: Record<string, never>;
	/** Seats were taken, sold or given back: the organisers' overview reloads its figures. */
	seats: Record<string, never>;
	/** A ticket was checked in or its check-in undone: door phones read their counts again. */
	checkin: Record<string, never>;
	/** A convener's merge request was made or decided: the pages of both proposals reload. */
	merge: { requestId: number; sourceId: number; targetId: number };
}>;

export type LiveTopic = keyof LiveTopics;

type AnyMessage = {
	[K in LiveTopic]: { id: number; eventId: number; topic: K; data: LiveTopics[K] };
}[LiveTopic];

/** One message as the hub hands it out: narrowing on `topic` gives its payload's type. */
export type LiveMessage<T extends LiveTopic = LiveTopic> = Extract<AnyMessage, { topic: T }>;

/** Whether a message is on `topic`, which gives its payload that topic's type. */
export const isOn = <T extends LiveTopic>(
	message: LiveMessage,
	topic: T
): message is LiveMessage<T> => message.topic === topic;
