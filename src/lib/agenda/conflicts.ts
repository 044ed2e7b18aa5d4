// What is wrong with an agenda as it stands: the rules the board shows as the facilitator shapes
// it, and that a hand edit reports in its answer. Pure, so the server and the browser read the
// same agenda the same way. The generator avoids all three; hand edits and later changes (a
// co-convener joining, dots arriving) can bring them back.

export interface ConflictRoom {
	id: number;
	name: string;
	capacity: number;
}

export interface ConflictSession {
	id: number;
	title: string;
	blockId: number;
	roomId: number;
	expected: number;
	conveners: { id: number; name: string }[];
	/** The blocks that suit its conveners; empty: any block. */
	suits: number[];
}

export type Conflict =
	/** A convener runs this session and `other` in the same block. */
	| { kind: 'convener'; sessionId: number; name: string; other: string }
	/** More people expected than the room holds. */
	| { kind: 'capacity'; sessionId: number; expected: number; capacity: number }
	/** The block is not one the proposal said it suits. */
	| { kind: 'block'; sessionId: number };

/** Every conflict of the agenda, session by session in the order given. */
export function conflictsOf(sessions: ConflictSession[], rooms: ConflictRoom[]): Conflict[] {
	const capacity = new Map(rooms.map((r) => [r.id, r.capacity]));
	const found: Conflict[] = [];
	for (const session of sessions) {
		for (const c of session.conveners) {
			const other = sessions.find(
				(o) =>
					o.id !== session.id &&
					o.blockId === session.blockId &&
					o.conveners.some((x) => x.id === c.id)
			);
			if (other) {
				found.push({ kind: 'convener', sessionId: session.id, name: c.name, other: other.title });
			}
		}
		const holds = capacity.get(session.roomId);
		if (holds !== undefined && session.expected > holds) {
			found.push({
				kind: 'capacity',
				sessionId: session.id,
				expected: session.expected,
				capacity: holds
			});
		}
		if (session.suits.length && !session.suits.includes(session.blockId)) {
			found.push({ kind: 'block', sessionId: session.id });
		}
	}
	return found;
}

/** The conflicts an edit brought: those of `after` that `before` did not have. */
export function newConflicts(before: Conflict[], after: Conflict[]): Conflict[] {
	const key = (c: Conflict) => JSON.stringify(c);
	const had = new Set(before.map(key));
	return after.filter((c) => !had.has(key(c)));
}

/** The conflicts of one session. */
export function conflictsFor(conflicts: Conflict[], sessionId: number): Conflict[] {
	return conflicts.filter((c) => c.sessionId === sessionId);
}
