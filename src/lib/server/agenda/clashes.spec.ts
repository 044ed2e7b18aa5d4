import { describe, expect, it } from 'vitest';
import { clashesOf } from './clashes';

// The clash rule: two of a person's sessions clash when their times overlap and the person
// marked both, or convenes one of them.

const at = (h: number, m = 0) => new Date(Date.UTC(2030, 6, 10, h, m));
const session = (id: number, from: [number, number], to: [number, number]) => ({
	id,
	title: `Session ${id}`,
	block: { startsAt: at(...from), endsAt: at(...to) }
});

describe('clashes', () => {
	const morning = session(1, [10, 0], [11, 0]);
	const sameBlock = session(2, [10, 0], [11, 0]);
	const overlapping = session(3, [10, 30], [11, 30]);
	const after = session(4, [11, 0], [12, 0]);

	it('two marked sessions whose times overlap clash with each other', () => {
		const mine = [
			{ ...morning, attending: true, convening: false },
			{ ...overlapping, attending: true, convening: false }
		];
		const found = clashesOf([morning, overlapping], mine);
		expect(found.get(morning.id)).toEqual([
			{ sessionId: 3, title: 'Session 3', kind: 'attending' }
		]);
		expect(found.get(overlapping.id)).toEqual([
			{ sessionId: 1, title: 'Session 1', kind: 'attending' }
		]);
		// Back to back is no clash: one ends as the next begins.
		expect(clashesOf([after], [mine[0]]).size).toBe(0);
	});

	it('a session the person convenes clashes with what they mark at that time', () => {
		const mine = [
			{ ...morning, attending: false, convening: true },
			{ ...sameBlock, attending: true, convening: false }
		];
		const found = clashesOf([morning, sameBlock], mine);
		expect(found.get(sameBlock.id)).toEqual([
			{ sessionId: 1, title: 'Session 1', kind: 'convening' }
		]);
		expect(found.get(morning.id)).toEqual([
			{ sessionId: 2, title: 'Session 2', kind: 'attending' }
		]);
	});

	it('says nothing for sessions at other times, nor for a session alone', () => {
		const mine = [
			{ ...morning, attending: true, convening: true },
			{ ...after, attending: true, convening: false }
		];
		expect(clashesOf([morning, after], mine).size).toBe(0);
		// Sessions that are not the person's do not clash with anything.
		expect(
			clashesOf([morning, overlapping], [{ ...overlapping, attending: false, convening: false }])
				.size
		).toBe(0);
	});
});
