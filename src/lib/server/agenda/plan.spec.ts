import { describe, expect, it } from 'vitest';
import { planAgenda, rank, type PlanProposal } from './plan';

let next = 1;
const proposal = (over: Partial<PlanProposal> = {}): PlanProposal => {
	const id = over.id ?? next++;
	return {
		id,
		dots: 0,
		interest: 0,
		expected: 0,
		conveners: [1000 + id],
		blockIds: [],
		createdAt: id,
		...over
	};
};

const where = (plan: ReturnType<typeof planAgenda>, id: number) =>
	plan.placed.find((p) => p.proposalId === id);

describe('agenda plan', () => {
	it('ranks by dots, then "I\'d come", then the earliest posted', () => {
		const a = proposal({ id: 1, dots: 3, interest: 0, createdAt: 5 });
		const b = proposal({ id: 2, dots: 3, interest: 2, createdAt: 9 });
		const c = proposal({ id: 3, dots: 3, interest: 2, createdAt: 1 });
		const d = proposal({ id: 4, dots: 7 });
		expect(rank([a, b, c, d]).map((p) => p.id)).toEqual([4, 3, 2, 1]);
	});

	it('puts the biggest session in the biggest room and never in a small room while a big one is free', () => {
		const rooms = [
			{ id: 10, capacity: 10 },
			{ id: 11, capacity: 80 },
			{ id: 12, capacity: 30 }
		];
		const big = proposal({ dots: 1, expected: 60 });
		const middle = proposal({ dots: 9, expected: 25 });
		const small = proposal({ dots: 5, expected: 4 });
		const plan = planAgenda({
			blocks: [{ id: 1 }],
			rooms,
			proposals: [small, big, middle],
			pins: []
		});
		expect(where(plan, big.id)?.roomId).toBe(11);
		expect(where(plan, middle.id)?.roomId).toBe(12);
		expect(where(plan, small.id)?.roomId).toBe(10);
		expect(plan.unscheduled).toEqual([]);

		// Too many people for any room: the biggest free one, not the first.
		const crowd = proposal({ expected: 500 });
		const alone = planAgenda({ blocks: [{ id: 1 }], rooms, proposals: [crowd], pins: [] });
		expect(where(alone, crowd.id)?.roomId).toBe(11);
	});

	it('prefers a block where the session fits over one where it would not', () => {
		const blocks = [{ id: 1 }, { id: 2 }];
		const rooms = [
			{ id: 10, capacity: 10 },
			{ id: 11, capacity: 50 }
		];
		const pins = [{ proposalId: 99, blockId: 1, roomId: 11, conveners: [] }];
		const p = proposal({ expected: 40 });
		const plan = planAgenda({ blocks, rooms, proposals: [p], pins });
		expect(where(plan, p.id)).toEqual({ proposalId: p.id, blockId: 2, roomId: 11 });
	});

	it('never puts a convener in two sessions of one block', () => {
		const blocks = [{ id: 1 }, { id: 2 }];
		const rooms = [
			{ id: 10, capacity: 50 },
			{ id: 11, capacity: 50 }
		];
		const ada = 7;
		const a = proposal({ dots: 9, conveners: [ada] });
		const b = proposal({ dots: 8, conveners: [8, ada] });
		const c = proposal({ dots: 7, conveners: [ada], blockIds: [1] });
		const plan = planAgenda({ blocks, rooms, proposals: [a, b, c], pins: [] });
		expect(where(plan, a.id)?.blockId).not.toBe(where(plan, b.id)?.blockId);
		// Ada runs a session in both blocks already, so her third proposal waits.
		expect(plan.unscheduled).toEqual([c.id]);
		const perBlock = (blockId: number) =>
			plan.placed
				.filter((x) => x.blockId === blockId)
				.flatMap((x) => [a, b, c].find((p) => p.id === x.proposalId)!.conveners);
		for (const blockId of [1, 2]) {
			expect(new Set(perBlock(blockId)).size).toBe(perBlock(blockId).length);
		}
	});

	it('only uses the blocks a proposal suits; an empty list suits any block', () => {
		const blocks = [{ id: 1 }, { id: 2 }, { id: 3 }];
		const rooms = [{ id: 10, capacity: 20 }];
		const onlyThird = proposal({ dots: 1, blockIds: [3] });
		const firstOrSecond = proposal({ dots: 9, blockIds: [2, 1] });
		const any = proposal({ dots: 5 });
		const elsewhere = proposal({ dots: 4, blockIds: [42] });
		const plan = planAgenda({
			blocks,
			rooms,
			proposals: [onlyThird, firstOrSecond, any, elsewhere],
			pins: []
		});
		expect(where(plan, onlyThird.id)?.blockId).toBe(3);
		expect([1, 2]).toContain(where(plan, firstOrSecond.id)?.blockId);
		expect(where(plan, any.id)).toBeDefined();
		expect(plan.unscheduled).toEqual([elsewhere.id]);
	});

	it('keeps pinned sessions: their room is not given away and their conveners are busy', () => {
		const blocks = [{ id: 1 }, { id: 2 }];
		const rooms = [
			{ id: 10, capacity: 100 },
			{ id: 11, capacity: 20 }
		];
		const pinned = proposal({ dots: 0, conveners: [5] });
		const top = proposal({ dots: 10, expected: 90, conveners: [5] });
		const pins = [{ proposalId: pinned.id, blockId: 2, roomId: 10, conveners: [5] }];
		const plan = planAgenda({ blocks, rooms, proposals: [pinned, top], pins });
		expect(where(plan, pinned.id)).toBeUndefined();
		expect(where(plan, top.id)).toEqual({ proposalId: top.id, blockId: 1, roomId: 10 });
		expect(plan.placed.some((p) => p.blockId === 2 && p.roomId === 10)).toBe(false);
	});

	it('with more proposals than slots, the most voted get places and the rest are listed in order', () => {
		const blocks = [{ id: 1 }, { id: 2 }];
		const rooms = [
			{ id: 10, capacity: 30 },
			{ id: 11, capacity: 30 }
		];
		const all = Array.from({ length: 7 }, (_, i) => proposal({ dots: i }));
		const plan = planAgenda({ blocks, rooms, proposals: all, pins: [] });
		expect(plan.placed).toHaveLength(4);
		expect(plan.placed.map((p) => p.proposalId).sort()).toEqual(
			all
				.slice(3)
				.map((p) => p.id)
				.sort()
		);
		expect(plan.unscheduled).toEqual([all[2].id, all[1].id, all[0].id]);
		const slots = plan.placed.map((p) => `${p.blockId}:${p.roomId}`);
		expect(new Set(slots).size).toBe(slots.length);
		// The two most voted are spread over both blocks rather than clashing in the first.
		expect(where(plan, all[6].id)?.blockId).not.toBe(where(plan, all[5].id)?.blockId);
	});

	it('gives the same agenda for the same input', () => {
		const blocks = [{ id: 1 }, { id: 2 }];
		const rooms = [
			{ id: 10, capacity: 30 },
			{ id: 11, capacity: 12 }
		];
		const all = Array.from({ length: 5 }, (_, i) => proposal({ dots: i % 2, expected: i * 7 }));
		const once = planAgenda({ blocks, rooms, proposals: all, pins: [] });
		const again = planAgenda({ blocks, rooms, proposals: [...all].reverse(), pins: [] });
		expect(again).toEqual(once);
	});
});
