// Turning a round's votes into an agenda grid (blocks × rooms). Pure and deterministic: the same
// input always gives the same agenda, so a facilitator who generates twice sees no shuffle.

export interface PlanBlock {
	id: number;
}

export interface PlanRoom {
	id: number;
	capacity: number;
}

export interface PlanProposal {
	id: number;
	dots: number;
	/** "I'd come" marks. */
	interest: number;
	/** People expected: distinct voters and "I'd come" people. */
	expected: number;
	conveners: number[];
	/** The blocks that suit its conveners; empty: any block. */
	blockIds: number[];
	/** Ties after dots and interest go to the earlier proposal. */
	createdAt: number;
}

export interface PlanPin {
	proposalId: number;
	blockId: number;
	roomId: number;
	conveners: number[];
}

export interface Placement {
	proposalId: number;
	blockId: number;
	roomId: number;
}

export interface Plan {
	placed: Placement[];
	/** Proposals without a place, most voted first. */
	unscheduled: number[];
}

/** Most dots first, then most "I'd come", then the earliest posted. */
export function rank<P extends Pick<PlanProposal, 'id' | 'dots' | 'interest' | 'createdAt'>>(
	proposals: P[]
): P[] {
	return [...proposals].sort(
		(a, b) => b.dots - a.dots || b.interest - a.interest || a.createdAt - b.createdAt || a.id - b.id
	);
}

/**
 * The room a session of `expected` people should get among `free` rooms: the smallest that holds
 * them (big rooms stay free for big sessions), or else the biggest there is.
 */
export function bestRoom<R extends PlanRoom>(free: R[], expected: number): R | undefined {
	const byCapacity = [...free].sort((a, b) => a.capacity - b.capacity || a.id - b.id);
	return byCapacity.find((r) => r.capacity >= expected) ?? byCapacity.at(-1);
}

/**
 * Place proposals into the slots left free by the pinned sessions. First, in order of votes, each
 * proposal gets a block: one it suits, where none of its conveners is already busy and a room is
 * free, preferring a room that holds its people, then the fewest sessions so far (popular
 * sessions spread over the blocks), then the earlier block. Then, block by block, the rooms it
 * claimed go biggest session to biggest room, and nobody stays in a room too small while a
 * bigger one of the block is free.
 */
export function planAgenda(input: {
	blocks: PlanBlock[];
	rooms: PlanRoom[];
	proposals: PlanProposal[];
	pins: PlanPin[];
}): Plan {
	const { blocks, rooms, pins } = input;
	const pinnedIds = new Set(pins.map((p) => p.proposalId));
	const taken = new Map(blocks.map((b) => [b.id, new Set<number>()]));
	const busy = new Map(blocks.map((b) => [b.id, new Set<number>()]));
	const chosen = new Map(blocks.map((b) => [b.id, [] as PlanProposal[]]));
	for (const pin of pins) {
		taken.get(pin.blockId)?.add(pin.roomId);
		for (const c of pin.conveners) busy.get(pin.blockId)?.add(c);
	}
	// Rooms tentatively claimed in phase one; phase two hands them out again within each block.
	const claimed = new Map(blocks.map((b) => [b.id, new Set<number>()]));
	const unscheduled: number[] = [];

	for (const proposal of rank(input.proposals.filter((p) => !pinnedIds.has(p.id)))) {
		const allowed = proposal.blockIds.length
			? blocks.filter((b) => proposal.blockIds.includes(b.id))
			: blocks;
		let best: Candidate | undefined;
		allowed.forEach((block) => {
			if (proposal.conveners.some((c) => busy.get(block.id)!.has(c))) return;
			const free = rooms.filter(
				(r) => !taken.get(block.id)!.has(r.id) && !claimed.get(block.id)!.has(r.id)
			);
			const room = bestRoom(free, proposal.expected);
			if (!room) return;
			const order = blocks.indexOf(block);
			const load = taken.get(block.id)!.size + chosen.get(block.id)!.length;
			const candidate = { block, room, order, load };
			if (!best || better(proposal.expected, candidate, best)) best = candidate;
		});
		if (!best) {
			unscheduled.push(proposal.id);
			continue;
		}
		const { block, room } = best;
		claimed.get(block.id)!.add(room.id);
		chosen.get(block.id)!.push(proposal);
		for (const c of proposal.conveners) busy.get(block.id)!.add(c);
	}

	const placed: Placement[] = [];
	const bySize = (a: PlanRoom, b: PlanRoom) => b.capacity - a.capacity || a.id - b.id;
	for (const block of blocks) {
		const sessions = [...chosen.get(block.id)!].sort((a, b) => b.expected - a.expected);
		const mine = rooms.filter((r) => claimed.get(block.id)!.has(r.id)).sort(bySize);
		const spare = rooms.filter(
			(r) => !taken.get(block.id)!.has(r.id) && !claimed.get(block.id)!.has(r.id)
		);
		sessions.forEach((proposal, i) => {
			let room = mine[i];
			// Still too small while a bigger room of the block is free: take that one instead.
			if (room.capacity < proposal.expected) {
				const bigger = bestRoom(
					spare.filter((r) => r.capacity > room.capacity),
					proposal.expected
				);
				if (bigger) {
					spare.splice(spare.indexOf(bigger), 1, room);
					room = bigger;
				}
			}
			placed.push({ proposalId: proposal.id, blockId: block.id, roomId: room.id });
		});
	}
	return { placed, unscheduled };
}

/** A block a proposal could go to: the room it would claim, the block's place and its sessions. */
type Candidate = { block: PlanBlock; room: PlanRoom; order: number; load: number };

function better(expected: number, a: Candidate, b: Candidate): boolean {
	const fitsA = a.room.capacity >= expected;
	const fitsB = b.room.capacity >= expected;
	if (fitsA !== fitsB) return fitsA;
	if (a.room.capacity !== b.room.capacity) {
		return fitsA ? a.room.capacity < b.room.capacity : a.room.capacity > b.room.capacity;
	}
	if (a.load !== b.load) return a.load < b.load;
	return a.order < b.order;
}
