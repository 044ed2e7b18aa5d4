// When a person's own sessions meet: two they said they will be at, or one they convene and
// another they marked (or convene), at times that overlap. Marking stays allowed: people move
// between sessions (the law of two feet); the agenda only says so.

export interface Clash {
	sessionId: number;
	title: string;
	/** `convening`: the other session is one the person convenes; `attending`: one they marked. */
	kind: 'convening' | 'attending';
}

interface Timed {
	id: number;
	title: string;
	block: { startsAt: Date; endsAt: Date };
}

const overlap = (a: Timed, b: Timed) =>
	a.block.startsAt < b.block.endsAt && b.block.startsAt < a.block.endsAt;

/**
 * For each of `sessions`, the person's own sessions (`mine`: marked or convened) at a time that
 * overlaps it, itself left out; a session convened and marked counts as convened.
 */
export function clashesOf(
	sessions: Timed[],
	mine: (Timed & { attending: boolean; convening: boolean })[]
): Map<number, Clash[]> {
	const found = new Map<number, Clash[]>();
	for (const x of sessions) {
		const clashes = mine
			.filter((y) => y.id !== x.id && (y.attending || y.convening) && overlap(x, y))
			.map((y) => ({
				sessionId: y.id,
				title: y.title,
				kind: y.convening ? ('convening' as const) : ('attending' as const)
			}));
		if (clashes.length) found.set(x.id, clashes);
	}
	return found;
}
