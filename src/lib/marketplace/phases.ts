import { ROUND_PHASES, type RoundPhase } from '$lib/constants';

// What each phase of a marketplace round allows, read by the domain (which refuses), the
// routes and the screens (which show or hide forms). Adding a phase is a row here plus its
// labels; the compiler then points at every label table that lacks it.

export interface PhaseRules {
	/** Post a new proposal. */
	propose: boolean;
	/** A convener (or whoever runs the marketplace) edits a proposal's text. */
	edit: boolean;
	/** Join a proposal as a convener. */
	join: boolean;
	comment: boolean;
	/** Suggest a change to someone else's proposal. */
	suggest: boolean;
	/** Say "I'd come". */
	markInterest: boolean;
	/** Place and take back dots. */
	vote: boolean;
	/** A facilitator merges two proposals (and undoes it). */
	merge: boolean;
	/** Conveners ask each other to merge, and agree. */
	requestMerge: boolean;
	/** Under way: a current round, whose cards keep their place and whose countdown, when set, moves it on to `next`. */
	live: boolean;
	/** Attendees see the round (a round not open yet shows at most its opening time). */
	visible: boolean;
	/** A countdown, when set, opens `next` by itself when it runs out. */
	timed: boolean;
	/** Dot totals mean something: the wall shows them. */
	showDots: boolean;
	/** The agenda is shaped from this round's votes. */
	agenda: boolean;
	/** Opened by a facilitator's click; false: by publishing the agenda. */
	byHand: boolean;
	/** The phase one click (or the countdown) opens after this one. */
	next: RoundPhase | null;
}

export const PHASE_RULES = {
	// Prepared ahead, waiting its turn: nobody takes part yet; a countdown opens it on time.
	preparing: {
		propose: false,
		edit: false,
		join: false,
		comment: false,
		suggest: false,
		markInterest: false,
		vote: false,
		merge: false,
		requestMerge: false,
		live: false,
		visible: false,
		timed: true,
		showDots: false,
		agenda: false,
		byHand: true,
		next: 'proposing'
	},
	proposing: {
		propose: true,
		edit: true,
		join: true,
		comment: true,
		suggest: true,
		markInterest: true,
		vote: false,
		merge: true,
		requestMerge: true,
		live: true,
		visible: true,
		timed: true,
		showDots: false,
		agenda: false,
		byHand: true,
		next: 'refining'
	},
	refining: {
		propose: true,
		edit: true,
		join: true,
		comment: true,
		suggest: true,
		markInterest: true,
		vote: false,
		merge: true,
		requestMerge: true,
		live: true,
		visible: true,
		timed: true,
		showDots: false,
		agenda: false,
		byHand: true,
		next: 'voting'
	},
	// People still ask "what will you do?" while choosing where to put their dots, and
	// duplicates found now can still be merged; the text is no longer reshaped by suggestions.
	voting: {
		propose: false,
		edit: true,
		join: true,
		comment: true,
		suggest: false,
		markInterest: true,
		vote: true,
		merge: true,
		requestMerge: true,
		live: true,
		visible: true,
		timed: true,
		showDots: true,
		agenda: false,
		byHand: true,
		next: 'closed'
	},
	// After the vote the dots are the result: only the facilitator still tidies up.
	closed: {
		propose: false,
		edit: true,
		join: true,
		comment: false,
		suggest: false,
		markInterest: false,
		vote: false,
		merge: true,
		requestMerge: false,
		live: false,
		visible: true,
		timed: false,
		showDots: true,
		agenda: true,
		byHand: true,
		next: null
	},
	scheduled: {
		propose: false,
		edit: true,
		join: true,
		comment: false,
		suggest: false,
		markInterest: false,
		vote: false,
		merge: true,
		requestMerge: false,
		live: false,
		visible: true,
		timed: false,
		showDots: true,
		agenda: true,
		byHand: false,
		next: null
	}
} as const satisfies Record<RoundPhase, PhaseRules>;

/** What people do in a round, each allowed or not by its phase. */
export const PHASE_ACTIONS = [
	'propose',
	'edit',
	'join',
	'comment',
	'suggest',
	'markInterest',
	'vote',
	'merge',
	'requestMerge'
] as const satisfies readonly (keyof PhaseRules)[];
export type PhaseAction = (typeof PHASE_ACTIONS)[number];

export const phaseAllows = (phase: RoundPhase, action: PhaseAction): boolean =>
	PHASE_RULES[phase][action];

/** A phase some click opens: each has a label on its button. */
export type OpenablePhase = NonNullable<(typeof PHASE_RULES)[RoundPhase]['next']>;

/** The phase one click opens next; a closed round is scheduled by publishing its agenda instead. */
export const nextPhase = (phase: RoundPhase): OpenablePhase | null => PHASE_RULES[phase].next;

/** The phase "back" returns to, undoing a click made too soon. */
export const previousPhase = (phase: RoundPhase): RoundPhase | null =>
	ROUND_PHASES[ROUND_PHASES.indexOf(phase) - 1] ?? null;

/** The round counts as under way: attendees take part in it now. */
export const isLive = (phase: RoundPhase) => PHASE_RULES[phase].live;

/** Attendees see the round at all. */
export const isVisible = (phase: RoundPhase) => PHASE_RULES[phase].visible;

/** A countdown runs in this phase and opens the next one when it ends. */
export const isTimed = (phase: RoundPhase) => PHASE_RULES[phase].timed;

/** The phases a countdown closes, each with the one it opens. */
export const TIMED_STEPS = ROUND_PHASES.flatMap((from) => {
	const { timed, next } = PHASE_RULES[from];
	return timed && next ? [[from, next] as const] : [];
});
