import type { RoundPhase, SessionFormat } from '$lib/constants';
import { SESSION_FORMATS } from '$lib/constants';
import { m } from '$lib/paraglide/messages';

const PHASE_LABELS: Record<RoundPhase, () => string> = {
	preparing: () => m.mkt_phase_preparing(),
	proposing: () => m.mkt_phase_proposing(),
	refining: () => m.mkt_phase_refining(),
	voting: () => m.mkt_phase_voting(),
	closed: () => m.mkt_phase_closed(),
	scheduled: () => m.mkt_phase_scheduled()
};

const PHASE_HINTS: Record<RoundPhase, () => string> = {
	preparing: () => m.mkt_phase_preparing_hint(),
	proposing: () => m.mkt_phase_proposing_hint(),
	refining: () => m.mkt_phase_refining_hint(),
	voting: () => m.mkt_phase_voting_hint(),
	closed: () => m.mkt_phase_closed_hint(),
	scheduled: () => m.mkt_phase_scheduled_hint()
};

const FORMAT_LABELS: Record<SessionFormat, () => string> = {
	discussion: () => m.mkt_format_discussion(),
	workshop: () => m.mkt_format_workshop(),
	skill_share: () => m.mkt_format_skill_share(),
	demo: () => m.mkt_format_demo(),
	fishbowl: () => m.mkt_format_fishbowl(),
	other: () => m.mkt_format_other()
};

export const phaseLabel = (phase: RoundPhase) => PHASE_LABELS[phase]();
export const phaseHint = (phase: RoundPhase) => PHASE_HINTS[phase]();
export const formatLabel = (format: SessionFormat) => FORMAT_LABELS[format]();
export const formatOptions = () =>
	SESSION_FORMATS.map((value) => ({ value, label: formatLabel(value) }));
