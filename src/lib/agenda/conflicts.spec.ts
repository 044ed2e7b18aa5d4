import { describe, expect, it } from 'vitest';
import { conflictsFor, conflictsOf, newConflicts, type ConflictSession } from './conflicts';

const rooms = [
	{ id: 1, name: 'Hall', capacity: 80 },
	{ id: 2, name: 'G22', capacity: 20 }
];
const ana = { id: 10, name: 'Ana' };
const ben = { id: 11, name: 'Ben' };

const session = (over: Partial<ConflictSession> & { id: number }): ConflictSession => ({
	title: `Session ${over.id}`,
	blockId: 100,
	roomId: 1,
	expected: 5,
	conveners: [],
	suits: [],
	...over
});

describe('the conflicts of an agenda', () => {
	it('finds none in an agenda that keeps every rule', () => {
		const sessions = [
			session({ id: 1, conveners: [ana], roomId: 1, expected: 80 }),
			session({ id: 2, conveners: [ben], roomId: 2, expected: 20 }),
			session({ id: 3, conveners: [ana], blockId: 101, suits: [101] })
		];
		expect(conflictsOf(sessions, rooms)).toEqual([]);
	});

	it('a convener in two rooms of one block: both sessions say so, naming the other', () => {
		const sessions = [
			session({ id: 1, title: 'Seeds', conveners: [ana, ben], roomId: 1 }),
			session({ id: 2, title: 'Mesh', conveners: [ben], roomId: 2 }),
			session({ id: 3, title: 'Later', conveners: [ben], blockId: 101 })
		];
		expect(conflictsOf(sessions, rooms)).toEqual([
			{ kind: 'convener', sessionId: 1, name: 'Ben', other: 'Mesh' },
			{ kind: 'convener', sessionId: 2, name: 'Ben', other: 'Seeds' }
		]);
	});

	it('more people expected than the room holds, but not exactly as many', () => {
		const sessions = [
			session({ id: 1, roomId: 2, expected: 21 }),
			session({ id: 2, roomId: 2, expected: 20, blockId: 101 })
		];
		expect(conflictsOf(sessions, rooms)).toEqual([
			{ kind: 'capacity', sessionId: 1, expected: 21, capacity: 20 }
		]);
	});

	it('a block the proposal does not suit; a proposal that names no block suits any', () => {
		const sessions = [
			session({ id: 1, blockId: 100, suits: [101, 102] }),
			session({ id: 2, blockId: 101, roomId: 2, suits: [] })
		];
		expect(conflictsOf(sessions, rooms)).toEqual([{ kind: 'block', sessionId: 1 }]);
	});

	it('an edit reports only the conflicts it brought', () => {
		const before = [
			session({ id: 1, roomId: 2, expected: 30 }),
			session({ id: 2, conveners: [ana], blockId: 101 }),
			session({ id: 3, conveners: [ana], blockId: 102, roomId: 2 })
		];
		// Session 3 moves into block 101 beside session 2, which Ana also convenes.
		const after = before.map((s) => (s.id === 3 ? { ...s, blockId: 101 } : s));
		const brought = newConflicts(conflictsOf(before, rooms), conflictsOf(after, rooms));
		expect(brought).toEqual([
			{ kind: 'convener', sessionId: 2, name: 'Ana', other: 'Session 3' },
			{ kind: 'convener', sessionId: 3, name: 'Ana', other: 'Session 2' }
		]);
		expect(conflictsFor(conflictsOf(after, rooms), 1)).toEqual([
			{ kind: 'capacity', sessionId: 1, expected: 30, capacity: 20 }
		]);
	});
});
