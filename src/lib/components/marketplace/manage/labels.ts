import type { RoundPhase } from '$lib/constants';
import type { OpenablePhase } from '$lib/marketplace/phases';
import { m } from '$lib/paraglide/messages';

// The words for a round's phases on the facilitator's page.

const PHASE_LABELS: Record<RoundPhase, () => string> = {
	preparing: () => m.mktm_phase_preparing(),
	proposing: () => m.mktm_phase_proposing(),
	refining: () => m.mktm_phase_refining(),
	voting: () => m.mktm_phase_voting(),
	closed: () => m.mktm_phase_closed(),
	scheduled: () => m.mktm_phase_scheduled()
};

export const phaseLabel = (phase: RoundPhase) => PHASE_LABELS[phase]();

/** What the button that opens a phase says, for each phase a click opens (see PHASE_RULES). */
const OPEN_LABELS: Record<OpenablePhase, () => string> = {
	proposing: () => m.mktm_to_proposing(),
	refining: () => m.mktm_to_refining(),
	voting: () => m.mktm_to_voting(),
	closed: () => m.mktm_to_closed()
};

export const openLabel = (phase: OpenablePhase) => OPEN_LABELS[phase]();

/** What the facilitator reads once a phase is open, one sentence per phase. */
const SAVED: Record<RoundPhase, (round: string) => string> = {
	preparing: (round) => m.mktm_saved_preparing({ round }),
	proposing: (round) => m.mktm_saved_proposing({ round }),
	refining: (round) => m.mktm_saved_refining({ round }),
	voting: (round) => m.mktm_saved_voting({ round }),
	closed: (round) => m.mktm_saved_closed({ round }),
	scheduled: (round) => m.mktm_saved_scheduled({ round })
};

export const phaseSaved = (round: string, phase: RoundPhase) => SAVED[phase](round);

export const dotsLabel = (count: number) =>
	count === 1 ? m.mktm_dots_one() : m.mktm_dots({ count });

/** Milliseconds to a phase's end as this screen's clock sees it; `skewMs` is ours minus the server's. */
export const msUntil = (endsAt: string, skewMs: number, now: number) =>
	Date.parse(endsAt) - (now - skewMs);
