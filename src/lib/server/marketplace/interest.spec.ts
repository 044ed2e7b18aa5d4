import { and, eq, sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { m } from '$lib/paraglide/messages';
import { ROUND_PHASES } from '$lib/constants';
import { phaseAllows } from '$lib/marketplace/phases';
import { onPostgres, useTestDb } from '../../../../tests/fixtures/db';
import { domainError } from '../../../../tests/fixtures/domain-error';
import { actorOf, grantRole, makeUser } from '../../../../tests/fixtures/factories';
import { votingRound } from '../../../../tests/fixtures/marketplace';
import { db, prepared, schema, type Tx } from '../db';
import { isDomainError } from '../core/errors';
import {
	interestCounts,
	markInterest,
	myInterest,
	unmarkInterest,
	type InterestState
} from './interest';
import { mergeProposals } from './merges';
import { setPhase } from './rounds';

useTestDb({ poolSize: 20 });

const marksOn = async (proposalId: number) =>
	(
		await db()
			.select({ userId: schema.interest.userId })
			.from(schema.interest)
			.where(eq(schema.interest.proposalId, proposalId))
	).length;

describe("I'd come", () => {
	it('marks once per person, in every phase until voting closes, announcing the count', async () => {
		const { event, organiser, round, attendees, proposals } = await votingRound({
			attendees: 2,
			proposals: 2
		});
		const [ana, ben] = attendees;
		const [a, b] = proposals;
		await setPhase(organiser, event.id, round.id, 'refining');
		expect(await markInterest(ana, event.id, a.id)).toEqual({
			proposalId: a.id,
			count: 1,
			mine: true
		});
		// A second click changes nothing.
		expect((await markInterest(ana, event.id, a.id)).count).toBe(1);
		await setPhase(organiser, event.id, round.id, 'voting');
		expect((await markInterest(ben, event.id, a.id)).count).toBe(2);
		await markInterest(ben, event.id, b.id);
		expect(await interestCounts(round.id)).toEqual(
			new Map([
				[a.id, 2],
				[b.id, 1]
			])
		);
		expect(await myInterest(ana, event.id, round.id)).toEqual(new Set([a.id]));
		expect(await myInterest(null, event.id, round.id)).toEqual(new Set());

		expect(await unmarkInterest(ben, event.id, a.id)).toEqual({
			proposalId: a.id,
			count: 1,
			mine: false
		});
		expect((await unmarkInterest(ben, event.id, a.id)).count).toBe(1);
		const live = await db()
			.select({ data: schema.liveEvents.data })
			.from(schema.liveEvents)
			.where(and(eq(schema.liveEvents.eventId, event.id), eq(schema.liveEvents.topic, 'interest')));
		expect(live.at(-1)).toEqual({ data: { proposalId: a.id, count: 1 } });

		await setPhase(organiser, event.id, round.id, 'closed');
		expect((await domainError(() => markInterest(ben, event.id, a.id))).fields._form).toBe(
			m.error_phase_closed()
		);
		expect((await domainError(() => unmarkInterest(ana, event.id, a.id))).fields._form).toBe(
			m.error_phase_closed()
		);
		expect(await marksOn(a.id)).toBe(1);
	});

	it('needs a ticket for this event, and only counts open proposals of this event', async () => {
		const { event, organiser, round, attendees, proposals } = await votingRound({
			attendees: 1,
			proposals: 2
		});
		const other = await votingRound({ attendees: 1, proposals: 1 });
		const [a, b] = proposals;
		const noTicket = actorOf(await makeUser());
		const elsewhere = actorOf(await makeUser());
		await grantRole(other.event.id, elsewhere.id, 'facilitator');

		expect((await domainError(() => markInterest(null, event.id, a.id))).kind).toBe(
			'unauthenticated'
		);
		expect((await domainError(() => markInterest(noTicket, event.id, a.id))).fields._form).toBe(
			'Only people with a ticket for this event can take part.'
		);
		expect((await domainError(() => markInterest(elsewhere, event.id, a.id))).fields._form).toBe(
			m.error_needs_ticket()
		);
		// A ticket holder of the other event, with the other event's proposal id here.
		expect(
			(await domainError(() => markInterest(other.attendees[0], event.id, other.proposals[0].id)))
				.kind
		).toBe('not_found');
		expect((await domainError(() => myInterest(attendees[0], event.id, other.round.id))).kind).toBe(
			'not_found'
		);
		expect(await marksOn(other.proposals[0].id)).toBe(0);

		await markInterest(attendees[0], event.id, b.id);
		await mergeProposals(organiser, event.id, b.id, a.id, 'http://t');
		expect((await domainError(() => markInterest(attendees[0], event.id, b.id))).kind).toBe(
			'not_found'
		);
		// The merged-away proposal's mark is not counted twice.
		expect(await interestCounts(round.id)).toEqual(new Map([[a.id, 1]]));
	});

	it.runIf(onPostgres())('one person clicking ten times at once is counted once', async () => {
		const { event, round, attendees, proposals } = await votingRound({
			attendees: 20,
			proposals: 1
		});
		const [me] = attendees;
		const [proposal] = proposals;
		const clicks = await Promise.allSettled(
			Array.from({ length: 10 }, () => markInterest(me, event.id, proposal.id))
		);
		for (const r of clicks) {
			if (r.status === 'rejected' && !isDomainError(r.reason)) throw r.reason;
		}
		expect(clicks.every((r) => r.status === 'fulfilled')).toBe(true);
		expect(await marksOn(proposal.id)).toBe(1);
		// Everyone else at once: each counted once too.
		await Promise.all(attendees.map((a) => markInterest(a, event.id, proposal.id)));
		expect((await interestCounts(round.id)).get(proposal.id)).toBe(20);
	});

	it.runIf(onPostgres())(
		'a mark waits for another on the same proposal, so each count it announces is real (negative control: without the lock both count one)',
		async () => {
			const { event, attendees, proposals } = await votingRound({ attendees: 4, proposals: 2 });
			const [ana, ben, cai, dan] = attendees;
			const [locked, unlocked] = proposals;
			const phases = ROUND_PHASES.filter((x) => phaseAllows(x, 'markInterest')).join(',');

			// Ana's mark, not yet committed, holds the proposal; Ben's mark waits for it and then
			// counts both.
			let bens: Promise<InterestState> | undefined;
			await db().transaction(async (tx) => {
				await tx.execute(
					sql`select * from interest_mark(${event.id}, ${locked.id}, ${ana.id}, true, ${phases})`
				);
				bens = markInterest(ben, event.id, locked.id);
				await expect.poll(waitingOnALock).toBeGreaterThan(0);
			});
			expect((await bens!).count).toBe(2);

			// The same two marks written without the proposal's lock: each counts only itself.
			const markUnlocked = async (tx: Tx, userId: number) => {
				await tx.insert(schema.interest).values({ proposalId: unlocked.id, userId });
				return marksIn(tx, unlocked.id);
			};
			const counted: number[] = [];
			await db().transaction(async (tx) => {
				counted.push(await markUnlocked(tx, cai.id));
				counted.push(await db().transaction((other) => markUnlocked(other, dan.id)));
			});
			expect(counted).toEqual([1, 1]);
			expect(await marksOn(unlocked.id)).toBe(2);
		}
	);
});

async function marksIn(tx: Tx, proposalId: number) {
	const [row] = await tx
		.select({ n: sql<number>`count(*)::int` })
		.from(schema.interest)
		.where(eq(schema.interest.proposalId, proposalId));
	return row.n;
}

/** Statements of this database waiting for a lock held by another. */
async function waitingOnALock() {
	const [row] = await prepared<{ n: number }>(
		`select count(*)::int as n from pg_stat_activity
			where datname = current_database() and wait_event_type = 'Lock'`,
		[]
	);
	return row.n;
}
