import { and, eq, sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { m } from '$lib/paraglide/messages';
import { addConvener, agendaRound } from '../../../../tests/fixtures/agenda';
import { onPostgres, useTestDb } from '../../../../tests/fixtures/db';
import { domainError } from '../../../../tests/fixtures/domain-error';
import { actorOf, grantRole, makeUser } from '../../../../tests/fixtures/factories';
import {
	agendaOf,
	daysAround,
	generateAgenda,
	moveSession,
	pinSession,
	publishAgenda,
	publishedAgenda,
	scheduleProposal,
	setRoundBlocks,
	swapSessions,
	unscheduleSession
} from './agenda';
import { db, schema } from '../db';
import { isDomainError } from '../core/errors';
import { createRound, setPhase } from '../marketplace/rounds';
import { propose } from '../marketplace/proposals';
import { addBlock } from '../events/schedule';
import { daysOf } from '../../../../tests/fixtures/factories';
import { proposalInput } from '../../../../tests/fixtures/marketplace';

useTestDb({ poolSize: 20 });

const sessionsOf = (roundId: number) =>
	db().select().from(schema.agendaSessions).where(eq(schema.agendaSessions.roundId, roundId));

const slotOf = async (proposalId: number) => {
	const [row] = await db()
		.select()
		.from(schema.agendaSessions)
		.where(eq(schema.agendaSessions.proposalId, proposalId));
	return row;
};

async function liveTopics(eventId: number) {
	const rows = await db()
		.select({ topic: schema.liveEvents.topic, data: schema.liveEvents.data })
		.from(schema.liveEvents)
		.where(eq(schema.liveEvents.eventId, eventId))
		.orderBy(schema.liveEvents.id);
	return rows;
}

describe('generating an agenda', () => {
	it('places by votes, fits people to rooms, leaves out what does not fit, and counts each person once', async () => {
		const { event, organiser, round, rooms, attendees, proposals } = await agendaRound({
			rooms: [8, 40],
			blocks: 2,
			dots: [3, 0, 5, 1, 2]
		});
		// Attendee 0 voted for proposal 0 and also says "I'd come": still one person.
		// Two people who did not vote say "I'd come" to proposal 3.
		await db()
			.insert(schema.interest)
			.values([
				{ proposalId: proposals[0].id, userId: attendees[0].id },
				{ proposalId: proposals[3].id, userId: attendees[3].id },
				{ proposalId: proposals[3].id, userId: attendees[4].id }
			]);
		const result = await generateAgenda(organiser, event.id, round.id);
		expect(result).toEqual({ placed: 4, unscheduled: [proposals[1].id] });
		const placed = await sessionsOf(round.id);
		const slots = placed.map((s) => `${s.blockId}:${s.roomId}`);
		expect(new Set(slots).size).toBe(4);
		// The two most voted (5 and 3 dots) take the big room, one in each block.
		const big = rooms[1].id;
		expect((await slotOf(proposals[2].id)).roomId).toBe(big);
		expect((await slotOf(proposals[0].id)).roomId).toBe(big);
		expect((await slotOf(proposals[2].id)).blockId).not.toBe(
			(await slotOf(proposals[0].id)).blockId
		);
		expect((await slotOf(proposals[0].id)).expected).toBe(3);
		expect((await slotOf(proposals[3].id)).expected).toBe(3);

		const agenda = await agendaOf(event.id, round.id);
		expect(agenda.sessions).toHaveLength(4);
		expect(agenda.unscheduled.map((p) => p.id)).toEqual([proposals[1].id]);
		expect(agenda.sessions.find((s) => s.proposalId === proposals[2].id)).toMatchObject({
			dots: 5,
			expected: 5,
			pinned: false,
			conveners: [{ id: attendees[2].id }]
		});
		expect((await liveTopics(event.id)).some((m) => m.topic === 'agenda')).toBe(true);
	});

	it('only from a closed round with blocks chosen; only session-round blocks of this event', async () => {
		const { event, organiser, round, blocks } = await agendaRound({
			rooms: [20],
			blocks: 1,
			dots: [1]
		});
		await setPhase(organiser, event.id, round.id, 'voting');
		expect(
			(await domainError(() => generateAgenda(organiser, event.id, round.id))).fields._form
		).toMatch(/Close the vote/);
		await setPhase(organiser, event.id, round.id, 'closed');
		await setRoundBlocks(organiser, event.id, round.id, []);
		expect(
			(await domainError(() => generateAgenda(organiser, event.id, round.id))).fields._form
		).toMatch(/block/);
		const other = await agendaRound({ rooms: [20], blocks: 1, dots: [] });
		const borrowed = await domainError(() =>
			setRoundBlocks(organiser, event.id, round.id, [other.blocks[0].id])
		);
		expect(borrowed.fields.blockIds).toMatch(/session-round/);
		await setRoundBlocks(organiser, event.id, round.id, [blocks[0].id]);
		expect((await generateAgenda(organiser, event.id, round.id)).placed).toBe(1);
	});

	it('a block fills one round only, and sessions in a block taken off the round are unscheduled', async () => {
		const { event, organiser, round, blocks } = await agendaRound({
			rooms: [20],
			blocks: 2,
			dots: [2, 1]
		});
		await generateAgenda(organiser, event.id, round.id);
		expect(await sessionsOf(round.id)).toHaveLength(2);
		await setRoundBlocks(organiser, event.id, round.id, [blocks[0].id]);
		const left = await sessionsOf(round.id);
		expect(left.map((s) => s.blockId)).toEqual([blocks[0].id]);
		const { createRound } = await import('../marketplace/rounds');
		const second = await createRound(organiser, event.id, {
			title: 'Round 2',
			dotBudget: 3,
			perProposalLimit: 1
		});
		const taken = await domainError(() =>
			setRoundBlocks(organiser, event.id, second.id, [blocks[0].id])
		);
		expect(taken.fields.blockIds).toMatch(/Round 1/);
		await setRoundBlocks(organiser, event.id, second.id, [blocks[1].id]);
	});

	it('keeps pinned sessions where they are when generated again; the rest is placed again', async () => {
		const { event, organiser, round, rooms, blocks, proposals } = await agendaRound({
			rooms: [10, 50],
			blocks: 2,
			dots: [4, 3, 2]
		});
		await generateAgenda(organiser, event.id, round.id);
		const lowest = await slotOf(proposals[2].id);
		// Put the least voted in the big room of the second block by hand, and pin it there.
		const target = { blockId: blocks[1].id, roomId: rooms[1].id };
		const occupant = (await sessionsOf(round.id)).find(
			(s) => s.blockId === target.blockId && s.roomId === target.roomId
		);
		if (occupant && occupant.id !== lowest.id) {
			await swapSessions(organiser, event.id, lowest.id, occupant.id);
		} else if (!occupant)
			await moveSession(organiser, event.id, lowest.id, target.blockId, target.roomId);
		await pinSession(organiser, event.id, lowest.id, true);

		await generateAgenda(organiser, event.id, round.id);
		const after = await slotOf(proposals[2].id);
		expect(after).toMatchObject({ id: lowest.id, ...target, pinned: true });
		const all = await sessionsOf(round.id);
		expect(all).toHaveLength(3);
		expect(new Set(all.map((s) => `${s.blockId}:${s.roomId}`)).size).toBe(3);

		// Unpinned, the next generation puts it back by votes.
		await pinSession(organiser, event.id, lowest.id, false);
		await generateAgenda(organiser, event.id, round.id);
		expect((await slotOf(proposals[2].id)).roomId).toBe(rooms[0].id);
	});
});

describe('editing an agenda by hand', () => {
	it('moves into an empty slot only, and refuses to put a convener in two places', async () => {
		const { event, organiser, round, rooms, blocks, attendees, proposals } = await agendaRound({
			rooms: [20, 20],
			blocks: 2,
			dots: [3, 2, 1]
		});
		await generateAgenda(organiser, event.id, round.id);
		const [a, b, c] = await Promise.all(proposals.map((p) => slotOf(p.id)));
		const empty = [blocks[0], blocks[1]]
			.flatMap((bl) => rooms.map((r) => ({ blockId: bl.id, roomId: r.id })))
			.find(
				(slot) => ![a, b, c].some((s) => s.blockId === slot.blockId && s.roomId === slot.roomId)
			)!;

		const taken = await domainError(() =>
			moveSession(organiser, event.id, a.id, b.blockId, b.roomId)
		);
		expect(taken.fields.slot).toMatch(/already has a session/);

		// The convener of c also convenes the session in the empty slot's block.
		const inEmptyBlock = [a, b].find((s) => s.blockId === empty.blockId)!;
		const convener = attendees[proposals.findIndex((p) => p.id === inEmptyBlock.proposalId)];
		await addConvener(c.proposalId, convener.id);
		expect(c.blockId).not.toBe(empty.blockId);
		const clash = await domainError(() =>
			moveSession(organiser, event.id, c.id, empty.blockId, empty.roomId)
		);
		expect(clash.fields.slot).toMatch(/already convenes “Proposal/);
		const moved = await moveSession(
			organiser,
			event.id,
			inEmptyBlock.id,
			empty.blockId,
			empty.roomId
		);
		expect(moved).toMatchObject(empty);
		const unknown = await domainError(() =>
			moveSession(organiser, event.id, a.id, 999_999, empty.roomId)
		);
		expect(unknown.fields.slot).toMatch(/block of this round/);
	});

	it('swaps two sessions, unless that puts a convener in two places', async () => {
		const { event, organiser, round, rooms, attendees, proposals } = await agendaRound({
			rooms: [20, 20],
			blocks: 2,
			dots: [4, 3, 2, 1]
		});
		await generateAgenda(organiser, event.id, round.id);
		const all = await Promise.all(proposals.map((p) => slotOf(p.id)));
		const [x] = all;
		const sameBlock = all.find((s) => s.id !== x.id && s.blockId === x.blockId)!;
		const otherBlock = all.filter((s) => s.blockId !== x.blockId);
		await swapSessions(organiser, event.id, x.id, sameBlock.id);
		expect(await slotOf(x.proposalId)).toMatchObject({
			blockId: sameBlock.blockId,
			roomId: sameBlock.roomId
		});
		expect(rooms.map((r) => r.id)).toContain((await slotOf(sameBlock.proposalId)).roomId);

		// x's convener also convenes otherBlock[1]; swapping x with otherBlock[0] would clash.
		const xConvener = attendees[proposals.findIndex((p) => p.id === x.proposalId)];
		await addConvener(otherBlock[1].proposalId, xConvener.id);
		const clash = await domainError(() =>
			swapSessions(organiser, event.id, x.id, otherBlock[0].id)
		);
		expect(clash.fields.other).toMatch(/already convenes/);
		const again = await domainError(() => swapSessions(organiser, event.id, x.id, x.id));
		expect(again.fields.other).toBe(m.agenda_error_swap_unknown());
	});

	it('places a left-out proposal, takes a session off, and publishes the agenda live', async () => {
		const { event, organiser, round, rooms, blocks, proposals } = await agendaRound({
			rooms: [30],
			blocks: 1,
			dots: [2, 1]
		});
		await generateAgenda(organiser, event.id, round.id);
		const first = await slotOf(proposals[0].id);
		expect(await slotOf(proposals[1].id)).toBeUndefined();
		const full = await domainError(() =>
			scheduleProposal(organiser, event.id, proposals[1].id, blocks[0].id, rooms[0].id)
		);
		expect(full.fields.slot).toMatch(/already has a session/);
		await unscheduleSession(organiser, event.id, first.id);
		const placed = await scheduleProposal(
			organiser,
			event.id,
			proposals[1].id,
			blocks[0].id,
			rooms[0].id
		);
		expect(placed).toMatchObject({ blockId: blocks[0].id, roomId: rooms[0].id, expected: 1 });
		const twice = await domainError(() =>
			scheduleProposal(organiser, event.id, proposals[1].id, blocks[0].id, rooms[0].id)
		);
		expect(twice.fields.slot).toMatch(/already on the agenda/);

		expect(await publishedAgenda(event.id)).toEqual([]);
		const published = await publishAgenda(organiser, event.id, round.id);
		expect(published.phase).toBe('scheduled');
		const agenda = await publishedAgenda(event.id);
		expect(agenda).toHaveLength(1);
		expect(agenda[0]).toMatchObject({
			proposalId: proposals[1].id,
			title: 'Proposal 1',
			room: { name: 'Room 1', capacity: 30 },
			block: { id: blocks[0].id, startsAt: blocks[0].startsAt }
		});
		const topics = await liveTopics(event.id);
		expect(topics).toContainEqual({
			topic: 'phase',
			data: { roundId: round.id, phase: 'scheduled', phaseEndsAt: null }
		});
		// Edits after publishing still reach the screens, and regenerating is allowed.
		const before = topics.filter((t) => t.topic === 'agenda').length;
		await pinSession(organiser, event.id, placed.id, true);
		await generateAgenda(organiser, event.id, round.id);
		expect((await liveTopics(event.id)).filter((t) => t.topic === 'agenda').length).toBe(
			before + 2
		);
	});

	it('publishes by block start, then room name', async () => {
		const { event, organiser, round } = await agendaRound({
			rooms: [30, 40, 50],
			blocks: 2,
			dots: [6, 5, 4, 3, 2, 1]
		});
		await generateAgenda(organiser, event.id, round.id);
		await publishAgenda(organiser, event.id, round.id);
		const agenda = await publishedAgenda(event.id);
		expect(agenda).toHaveLength(6);
		const keys = agenda.map((s) => [s.block.startsAt.getTime(), s.room.name] as const);
		const sorted = [...keys].sort((a, b) => a[0] - b[0] || a[1].localeCompare(b[1]));
		expect(keys).toEqual(sorted);
	});
});

describe('what a hand edit answers', () => {
	it('names the conflicts it brought, tells the board where sessions went, and can be undone', async () => {
		const { event, organiser, round, rooms, blocks, proposals } = await agendaRound({
			rooms: [10, 2, 2],
			blocks: 2,
			dots: [3, 1]
		});
		await generateAgenda(organiser, event.id, round.id);
		const big = await slotOf(proposals[0].id);
		expect(big.roomId).toBe(rooms[0].id);
		// Proposal 0 suits only the block it is in.
		await db()
			.update(schema.proposals)
			.set({ blockIds: [big.blockId] })
			.where(eq(schema.proposals.id, proposals[0].id));
		const other = blocks.find((b) => b.id !== big.blockId)!;
		// Into the small room of the other block: three people for two places, and a block it
		// does not suit.
		const taken = new Set((await sessionsOf(round.id)).map((s) => `${s.blockId}:${s.roomId}`));
		const free = rooms.find((r) => r.capacity === 2 && !taken.has(`${other.id}:${r.id}`))!;
		const moved = await moveSession(organiser, event.id, big.id, other.id, free.id);
		expect(moved.conflicts).toEqual([
			{ kind: 'capacity', sessionId: big.id, expected: 3, capacity: 2 },
			{ kind: 'block', sessionId: big.id }
		]);
		expect(moved.undo).toEqual({
			action: 'move',
			sessionId: big.id,
			slot: `${big.blockId}-${big.roomId}`
		});
		const topics = await liveTopics(event.id);
		expect(topics.filter((x) => x.topic === 'agenda').at(-1)).toEqual({
			topic: 'agenda',
			data: { roundId: round.id, moved: [{ id: big.id, blockId: other.id, roomId: free.id }] }
		});
		// Undo: the same move, back to where it was; nothing new is wrong after it.
		const back = await moveSession(organiser, event.id, big.id, big.blockId, big.roomId);
		expect(back.conflicts).toEqual([]);
		expect(await slotOf(proposals[0].id)).toMatchObject({
			blockId: big.blockId,
			roomId: big.roomId
		});

		const second = await slotOf(proposals[1].id);
		const swapped = await swapSessions(organiser, event.id, big.id, second.id);
		expect(swapped.undo).toEqual({ action: 'swap', sessionId: big.id, other: second.id });
		if (second.blockId !== big.blockId) {
			expect(swapped.conflicts).toContainEqual({ kind: 'block', sessionId: big.id });
		}
		await swapSessions(organiser, event.id, big.id, second.id);
		expect(await slotOf(proposals[0].id)).toMatchObject({
			blockId: big.blockId,
			roomId: big.roomId
		});

		const off = await unscheduleSession(organiser, event.id, second.id);
		expect(off.undo).toEqual({
			action: 'place',
			proposalId: proposals[1].id,
			slot: `${second.blockId}-${second.roomId}`
		});
		const again = await scheduleProposal(
			organiser,
			event.id,
			proposals[1].id,
			second.blockId,
			second.roomId
		);
		expect(again).toMatchObject({ blockId: second.blockId, roomId: second.roomId });
		expect(again.undo).toEqual({ action: 'unschedule', sessionId: again.id });
		const pin = await pinSession(organiser, event.id, again.id, true);
		expect(pin.undo).toEqual({ action: 'pin', sessionId: again.id, pinned: false });
	});
});

describe('the day view', () => {
	it('shows every block of the round’s day, and other rounds’ sessions but not its own', async () => {
		const { event, organiser, round, blocks, attendees } = await agendaRound({
			rooms: [20],
			blocks: 2,
			dots: [2, 1]
		});
		await setRoundBlocks(organiser, event.id, round.id, [blocks[0].id]);
		await generateAgenda(organiser, event.id, round.id);
		const [day] = await daysOf(event.id);
		const plenary = await addBlock(organiser, event.id, {
			dayId: day.id,
			kind: 'plenary',
			title: 'Opening circle',
			start: '09:00',
			end: '09:50',
			roomId: null
		});
		const later = await createRound(organiser, event.id, {
			title: 'Round 2',
			dotBudget: 3,
			perProposalLimit: 2
		});
		await setPhase(organiser, event.id, later.id, 'proposing');
		const theirs = await propose(attendees[0], event.id, later.id, proposalInput('Afternoon'));
		await setPhase(organiser, event.id, later.id, 'voting');
		await setPhase(organiser, event.id, later.id, 'closed');
		await setRoundBlocks(organiser, event.id, later.id, [blocks[1].id]);
		await generateAgenda(organiser, event.id, later.id);

		const view = await daysAround(event.id, round.id);
		expect(view.blocks.map((b) => [b.id, b.kind, b.roundTitle])).toEqual([
			[plenary.id, 'plenary', null],
			[blocks[0].id, 'session_round', 'Round 1'],
			[blocks[1].id, 'session_round', 'Round 2']
		]);
		expect(view.sessions).toEqual([
			expect.objectContaining({ title: 'Afternoon', blockId: blocks[1].id })
		]);
		expect(theirs.roundId).toBe(later.id);
		// Another event's round is not found here: nothing of it shows.
		const other = await agendaRound({ rooms: [20], blocks: 1, dots: [1] });
		expect(await daysAround(event.id, other.round.id)).toEqual({ blocks: [], sessions: [] });
	});
});

describe('who may edit an agenda', () => {
	it('not an attendee, not another event’s facilitator; another event’s ids are not found', async () => {
		const { event, organiser, round, rooms, blocks, attendees } = await agendaRound({
			rooms: [20, 20],
			blocks: 1,
			dots: [2]
		});
		await generateAgenda(organiser, event.id, round.id);
		const [session] = await sessionsOf(round.id);
		const attendee = attendees[0];
		const other = await agendaRound({ rooms: [20], blocks: 1, dots: [1] });
		const facilitator = actorOf(await makeUser());
		await grantRole(other.event.id, facilitator.id, 'facilitator');
		await generateAgenda(facilitator, other.event.id, other.round.id);
		const [foreign] = await sessionsOf(other.round.id);

		for (const who of [attendee, facilitator]) {
			for (const run of [
				() => generateAgenda(who, event.id, round.id),
				() => setRoundBlocks(who, event.id, round.id, []),
				() => moveSession(who, event.id, session.id, blocks[0].id, rooms[1].id),
				() => swapSessions(who, event.id, session.id, session.id),
				() => pinSession(who, event.id, session.id, true),
				() => unscheduleSession(who, event.id, session.id),
				() => publishAgenda(who, event.id, round.id)
			]) {
				expect((await domainError(run)).kind).toBe('forbidden');
			}
		}
		expect((await domainError(() => generateAgenda(null, event.id, round.id))).kind).toBe(
			'unauthenticated'
		);
		// The organiser of this event, with ids that belong to the other event.
		expect(
			(await domainError(() => generateAgenda(organiser, event.id, other.round.id))).kind
		).toBe('not_found');
		expect(
			(
				await domainError(() =>
					moveSession(organiser, event.id, foreign.id, blocks[0].id, rooms[1].id)
				)
			).kind
		).toBe('not_found');
		expect((await domainError(() => pinSession(organiser, event.id, foreign.id, true))).kind).toBe(
			'not_found'
		);
		expect(
			(await domainError(() => swapSessions(organiser, event.id, session.id, foreign.id))).fields
				.other
		).toBe(m.agenda_error_swap_unknown());
		expect(
			(
				await domainError(() =>
					moveSession(organiser, event.id, session.id, other.blocks[0].id, rooms[1].id)
				)
			).fields.slot
		).toBe(m.agenda_error_slot_unknown());
		expect(
			(
				await domainError(() =>
					moveSession(organiser, event.id, session.id, blocks[0].id, other.rooms[0].id)
				)
			).fields.slot
		).toBe(m.agenda_error_slot_unknown());
		expect(
			(
				await domainError(() =>
					scheduleProposal(organiser, event.id, other.proposals[0].id, blocks[0].id, rooms[1].id)
				)
			).kind
		).toBe('not_found');
		expect((await domainError(() => agendaOf(event.id, other.round.id))).kind).toBe('not_found');
		// Nothing of the other event moved.
		expect(await sessionsOf(other.round.id)).toEqual([foreign]);
	});
});

describe.runIf(onPostgres())('two facilitators at once', () => {
	it('ten sessions moved into the same empty slot at once: exactly one gets it', async () => {
		const { event, organiser, round, rooms, blocks } = await agendaRound({
			rooms: [20, 20, 20, 20, 20, 20],
			blocks: 3,
			dots: [10, 9, 8, 7, 6, 5, 4, 3, 2, 1, 1]
		});
		await generateAgenda(organiser, event.id, round.id);
		const all = await sessionsOf(round.id);
		const taken = new Set(all.map((s) => `${s.blockId}:${s.roomId}`));
		const empty = blocks
			.flatMap((b) => rooms.map((r) => ({ blockId: b.id, roomId: r.id })))
			.find((s) => !taken.has(`${s.blockId}:${s.roomId}`))!;
		// Sessions of other blocks, so no convener clash gets in the way.
		const movers = all.filter((s) => s.blockId !== empty.blockId).slice(0, 10);
		const facilitator = actorOf(await makeUser());
		await grantRole(event.id, facilitator.id, 'facilitator');
		const results = await Promise.allSettled(
			movers.map((s, i) =>
				moveSession(i % 2 ? organiser : facilitator, event.id, s.id, empty.blockId, empty.roomId)
			)
		);
		for (const r of results) {
			if (r.status === 'rejected' && !isDomainError(r.reason)) throw r.reason;
		}
		expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
		const inSlot = await db()
			.select()
			.from(schema.agendaSessions)
			.where(
				and(
					eq(schema.agendaSessions.blockId, empty.blockId),
					eq(schema.agendaSessions.roomId, empty.roomId)
				)
			);
		expect(inSlot).toHaveLength(1);
	});

	it('swaps and moves by two facilitators at once never leave two sessions in one slot', async () => {
		const { event, organiser, round, rooms, blocks } = await agendaRound({
			rooms: [20, 20, 20],
			blocks: 2,
			dots: [6, 5, 4, 3]
		});
		await generateAgenda(organiser, event.id, round.id);
		const facilitator = actorOf(await makeUser());
		await grantRole(event.id, facilitator.id, 'facilitator');
		const all = await sessionsOf(round.id);
		const slots = blocks.flatMap((b) => rooms.map((r) => ({ blockId: b.id, roomId: r.id })));
		// Twenty edits at once, half swaps, half moves into whatever slot, by both people.
		const edits = Array.from({ length: 20 }, (_, i) => {
			const who = i % 2 ? organiser : facilitator;
			const a = all[i % all.length];
			if (i % 4 < 2) {
				const b = all[(i + 1) % all.length];
				return swapSessions(who, event.id, a.id, b.id);
			}
			const slot = slots[(i * 7) % slots.length];
			return moveSession(who, event.id, a.id, slot.blockId, slot.roomId);
		});
		const results = await Promise.allSettled(edits);
		for (const r of results) {
			if (r.status === 'rejected' && !isDomainError(r.reason)) throw r.reason;
		}
		expect(results.some((r) => r.status === 'fulfilled')).toBe(true);
		const after = await sessionsOf(round.id);
		expect(after).toHaveLength(all.length);
		expect(new Set(after.map((s) => `${s.blockId}:${s.roomId}`)).size).toBe(all.length);
	});

	it('negative control: checking the slot without the round lock lets two sessions in', async () => {
		const { event, organiser, round, rooms, blocks } = await agendaRound({
			rooms: [20, 20],
			blocks: 2,
			dots: [3, 2]
		});
		await setRoundBlocks(organiser, event.id, round.id, [blocks[0].id]);
		await generateAgenda(organiser, event.id, round.id);
		const s = schema.agendaSessions;
		const all = await sessionsOf(round.id);
		const naive = (id: number) =>
			db().transaction(async (tx) => {
				const [taken] = await tx
					.select()
					.from(s)
					.where(and(eq(s.blockId, blocks[1].id), eq(s.roomId, rooms[0].id)));
				if (taken) return false;
				await tx.execute(sql`select pg_sleep(0.05)`);
				await tx.update(s).set({ blockId: blocks[1].id, roomId: rooms[0].id }).where(eq(s.id, id));
				return true;
			});
		const moved = (await Promise.all(all.map((x) => naive(x.id)))).filter(Boolean);
		expect(moved.length).toBe(2);
	});
});
