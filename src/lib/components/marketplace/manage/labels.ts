import { ROUND_PHASES, type RoundPhase } from '$lib/constants';
import { m } from '$lib/paraglide/messages';

// The words for a round's phases on the facilitator's page.

const PHASE_LABELS: Record<RoundPhase, () => string> = {
	proposing: () => m.mktm_phase_proposing(),
	refining: () => m.mktm_phase_refining(),
	voting: () => m.mktm_phase_voting(),
	closed: () => m.mktm_phase_closed(),
	scheduled: () => m.mktm_phase_scheduled()
};

export const phaseLabel = (phase: RoundPhase) => PHASE_LABELS[phase]();

/** What the button that opens a phase says (the first phase is where every round starts). */
const OPEN_LABELS: Record<Exclude<RoundPhase, 'proposing'>, () => string> = {
	refining: () => m.mktm_to_refining(),
	voting: () => m.mktm_to_voting(),
	closed: () => m.mktm_to_closed(),
	scheduled: () => m.mktm_to_scheduled()
};

export const openLabel = (phase: Exclude<RoundPhase, 'proposing'>) => OPEN_LABELS[phase]();

/** The phase one click opens; a closed round is scheduled by publishing its agenda instead. */
export function nextPhase(phase: RoundPhase): Exclude<RoundPhase, 'proposing'> | null {
	const next = ROUND_PHASES[ROUND_PHASES.indexOf(phase) + 1];
	return next && next !== 'proposing' && next !== 'scheduled' ? next : null;
}

export function previousPhase(phase: RoundPhase): RoundPhase | null {
	return ROUND_PHASES[ROUND_PHASES.indexOf(phase) - 1] ?? null;
}

export const dotsLabel = (count: number) =>
	count === 1 ? m.mktm_dots_one() : m.mktm_dots({ count });

/** Milliseconds to a phase's end as this screen's clock sees it; `skewMs` is ours minus the server's. */
export const msUntil = (endsAt: string, skewMs: number, now: number) =>
	Date.parse(endsAt) - (now - skewMs);
