import { describe, expect, it } from 'vitest';
import type { RoundPhase } from '$lib/constants';
import type { PublishedSession } from '../agenda/grid';
import type { Round } from './rounds';
import { nowAndNext, wallFocus } from './wall';

// What fills the wall, one round at a time: the live round, else the latest round the vote is
// over for (its results, then its agenda of now and next), else what comes next.

const round = (id: number, phase: RoundPhase): Round => ({
	id,
	eventId: 1,
	title: `Round ${id}`,
	phase,
	phaseEndsAt: null,
	dotBudget: 5,
	perProposalLimit: 2,
	createdAt: new Date()
});

const always = () => true;
const never = () => false;

describe('the wall', () => {
	it('shows the live round, even when an earlier agenda is out and a later round is prepared', () => {
		const rounds = [round(1, 'scheduled'), round(2, 'voting'), round(3, 'preparing')];
		expect(wallFocus(rounds, null, always)).toEqual({ kind: 'round', round: rounds[1] });
	});

	it('shows the latest published agenda once no round is live, while it has blocks to come', () => {
		const rounds = [round(1, 'scheduled'), round(2, 'scheduled'), round(3, 'preparing')];
		expect(wallFocus(rounds, null, always)).toEqual({ kind: 'agenda', round: rounds[1] });
		// Its sessions over: what comes next (the prepared round).
		expect(wallFocus(rounds, null, never)).toEqual({ kind: 'next' });
	});

	it('shows the results of a closed vote while its agenda is made', () => {
		const rounds = [round(1, 'scheduled'), round(2, 'closed')];
		expect(wallFocus(rounds, null, always)).toEqual({ kind: 'round', round: rounds[1] });
	});

	it('never shows a prepared round unless the facilitator asks for it', () => {
		const rounds = [round(1, 'preparing')];
		expect(wallFocus(rounds, null, always)).toEqual({ kind: 'next' });
		expect(wallFocus(rounds, 1, always)).toEqual({ kind: 'round', round: rounds[0] });
		// A round of another event (not in the list) is not shown by its id.
		expect(wallFocus(rounds, 99, always)).toEqual({ kind: 'next' });
	});

	it('reads an agenda as the block on now and the one after it', () => {
		const at = (h: number) => new Date(Date.UTC(2026, 5, 1, h));
		const session = (id: number, block: number, h: number, room: string): PublishedSession =>
			({
				id,
				roundId: 1,
				proposalId: id,
				title: `Session ${id}`,
				question: '',
				format: 'discussion',
				expected: 0,
				going: 0,
				block: { id: block, title: `Block ${block}`, startsAt: at(h), endsAt: at(h + 1) },
				room: { id: 1, name: room, capacity: 20 },
				conveners: [{ id: id, name: `Convener ${id}` }]
			}) as PublishedSession;
		const sessions = [
			session(1, 1, 10, 'Hall'),
			session(2, 1, 10, 'G22'),
			session(3, 2, 12, 'Hall'),
			session(4, 3, 14, 'Hall')
		];
		const during = nowAndNext(sessions, at(10).getTime() + 30 * 60_000);
		expect(during.now?.sessions.map((s) => [s.room, s.title, s.conveners])).toEqual([
			['Hall', 'Session 1', ['Convener 1']],
			['G22', 'Session 2', ['Convener 2']]
		]);
		expect(during.next?.title).toBe('Block 2');
		const between = nowAndNext(sessions, at(11).getTime() + 1);
		expect([between.now, between.next?.title]).toEqual([null, 'Block 2']);
		const after = nowAndNext(sessions, at(15).getTime());
		expect(after).toEqual({ now: null, next: null });
	});
});
