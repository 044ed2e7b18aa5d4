import type { RoundPhase } from '$lib/constants';
import { m } from '$lib/paraglide/messages';

/** What the room is asked to do in each phase, in one line on the wall. */
export function instruction(phase: RoundPhase, budget: number, limit: number): string {
	switch (phase) {
		case 'proposing':
			return m.wall_do_proposing();
		case 'refining':
			return m.wall_do_refining();
		case 'voting':
			return m.wall_do_voting({ budget, limit });
		case 'closed':
			return m.wall_do_closed();
		case 'scheduled':
			return m.wall_do_scheduled();
	}
}

/** Dot totals mean something once voting opens; before that the cards leave them out. */
export const showsDots = (phase: RoundPhase) =>
	phase === 'voting' || phase === 'closed' || phase === 'scheduled';

/** Columns for the projector: about as many as rows, so a dozen cards fill 1920×1080 as 4 × 3. */
export function columnsFor(count: number): number {
	if (count <= 1) return 1;
	if (count <= 4) return 2;
	if (count <= 9) return 3;
	if (count <= 16) return 4;
	return 5;
}

/** A URL as people type it: no scheme. */
export const shortUrl = (url: string) => url.replace(/^https?:\/\//, '');
