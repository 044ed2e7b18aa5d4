import type { RoundPhase } from '$lib/constants';
import { m } from '$lib/paraglide/messages';

const INSTRUCTIONS: Record<RoundPhase, (budget: number, limit: number) => string> = {
	preparing: () => m.wall_do_preparing(),
	proposing: () => m.wall_do_proposing(),
	refining: () => m.wall_do_refining(),
	voting: (budget, limit) => m.wall_do_voting({ budget, limit }),
	closed: () => m.wall_do_closed(),
	scheduled: () => m.wall_do_scheduled()
};

/** What the room is asked to do in each phase, in one line on the wall. */
export const instruction = (phase: RoundPhase, budget: number, limit: number) =>
	INSTRUCTIONS[phase](budget, limit);

/** Columns for the projector: rows about as many as columns, a dozen cards as 4 × 3. */
export function columnsFor(count: number): number {
	if (count <= 3) return Math.max(1, count);
	return Math.min(5, Math.ceil(Math.sqrt(count)));
}

/** A URL as people type it: no scheme. */
export const shortUrl = (url: string) => url.replace(/^https?:\/\//, '');
