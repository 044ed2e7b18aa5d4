import { m } from '$lib/paraglide/messages';
import { invalid, notFound } from './errors';

// Why the one-statement writes of the live room (`dot_vote`, `interest_mark`,
// `attendance_mark`, `presence_mark`) refuse, by the outcome they answer, as the error a form shows.
export const REFUSALS = {
	not_found: () => notFound(),
	needs_ticket: () => invalid({ _form: m.error_needs_ticket() }),
	phase_closed: () => invalid({ _form: m.error_phase_closed() })
};

export type Refusal = keyof typeof REFUSALS;
