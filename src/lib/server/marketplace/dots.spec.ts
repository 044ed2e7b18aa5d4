import { and, eq, sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { onPostgres, useTestDb } from '../../../../tests/fixtures/db';
import { domainError } from '../../../../tests/fixtures/domain-error';
import { actorOf, makeUser } from '../../../../tests/fixtures/factories';
import { proposalInput, votingRound } from '../../../../tests/fixtures/marketplace';
import { db, schema } from '../db';
import { isDomainError } from '../core/errors';
import { editProposal, propose, proposalHistory, StaleEdit } from './proposals';
import { setPhase } from './rounds';
import { live } from '../live/hub';
import { castDot, dotTotals, myDots, takeDot } from './dots';

useTestDb({ poolSize: 20 });

const settle = async (runs: Promise<unknown>[]) => {
	const results = await Promise.allSettled(runs);
	for (const r of results) {
		if (r.status === 'rejected' && !isDomainError(r.reason)) throw r.reason;
	}
	return results.filter((r) => r.status === 'fulfilled').length;
};

async function countsOf(roundId: number) {
	const perVoter = await db()
		.select({ userId: schema.dots.userId, dots: sql<number>`sum(${schema.dots.count})::int` })
		.from(schema.dots)
		.where(eq(schema.dots.roundId, roundId))
		.groupBy(schema.dots.userId);
	const perPair = await db()
		.select({ count: schema.dots.count })
		.from(schema.dots)
		.where(eq(schema.dots.roundId, roundId));
	const budgets = await db()
		.select()
		.from(schema.dotBudgets)
		.where(eq(schema.dotBudgets.roundId, roundId));
	return { perVoter, perPair, budgets };
}

describe('dot-voting', () => {
	it('50 dots at once from one attendee: exactly the budget placed, each proposal within its limit', async () => {
		const { event, round, attendees, proposals } = await votingRound({
			attendees: 1,
			proposals: 4
		});
		const [me] = attendees;
		const placed = await settle(
			Array.from({ length: 50 }, (_, i) => castDot(me, event.id, proposals[i % 4].id))
		);
		expect(placed).toBe(5);
		const { perVoter, perPair, budgets } = await countsOf(round.id);
		expect(perVoter).toEqual([{ userId: me.id, dots: 5 }]);
		expect(Math.max(...perPair.map((p) => p.count))).toBeLessThanOrEqual(2);
		expect(budgets[0].used).toBe(5);
		expect((await myDots(me, event.id, round.id)).left).toBe(0);
	});

	it('500 dots at once from 100 attendees: nobody over budget or limit, no dot lost', async () => {
		const { event, round, attendees, proposals } = await votingRound({
			attendees: onPostgres() ? 100 : 20,
			proposals: 3,
			budget: 5,
			limit: 3
		});
		const runs = attendees.flatMap((a, i) =>
			Array.from({ length: 5 }, (_, j) => castDot(a, event.id, proposals[(i + j) % 3].id))
		);
		const placed = await settle(runs);
		const { perVoter, perPair, budgets } = await countsOf(round.id);
		// Five dots over three proposals with a limit of three: all five fit for everyone.
		expect(placed).toBe(attendees.length * 5);
		expect(perVoter.every((v) => v.dots === 5)).toBe(true);
		expect(perPair.every((p) => p.count <= 3)).toBe(true);
		expect(budgets.reduce((s, b) => s + b.used, 0)).toBe(placed);
	});

	it('30 voters dotting one proposal at once: each announces a different total, the last the real one', async () => {
		const { event, round, attendees, proposals } = await votingRound({
			attendees: onPostgres() ? 30 : 6,
			proposals: 1
		});
		const announced: { id: number; total: number }[] = [];
		const stop = await live().subscribe(event.id, (m) => {
			if (m.topic === 'dots') announced.push({ id: m.id, total: m.data.total });
		});
		try {
			await Promise.all(attendees.map((a) => castDot(a, event.id, proposals[0].id)));
			await expect.poll(() => announced.length).toBe(attendees.length);
		} finally {
			stop();
		}
		// Without the proposal's row lock two dots committing together both announce the same
		// total, and a screen keeps a count one short until the next dot.
		const inIdOrder = announced.sort((a, b) => a.id - b.id).map((a) => a.total);
		expect(inIdOrder).toEqual(attendees.map((_, i) => i + 1));
		expect((await dotTotals(round.id)).get(proposals[0].id)).toBe(attendees.length);
	});

	it('a dot taken back returns to the budget; taking one that is not there changes nothing', async () => {
		const { event, round, attendees, proposals } = await votingRound({
			attendees: 1,
			proposals: 2
		});
		const [me] = attendees;
		await castDot(me, event.id, proposals[0].id);
		const two = await castDot(me, event.id, proposals[0].id);
		expect(two).toMatchObject({ mine: 2, total: 2, left: 3 });
		expect((await domainError(() => castDot(me, event.id, proposals[0].id))).fields._form).toMatch(
			/as many dots/
		);
		expect(await takeDot(me, event.id, proposals[0].id)).toMatchObject({ mine: 1, left: 4 });
		expect(await takeDot(me, event.id, proposals[1].id)).toMatchObject({ mine: 0, left: 4 });
		const { budgets } = await countsOf(round.id);
		expect(budgets[0].used).toBe(1);
	});

	it('only ticket holders vote, only while the round is voting, only on this event’s proposals', async () => {
		const { event, organiser, round, proposals } = await votingRound({
			attendees: 1,
			proposals: 1
		});
		const other = await votingRound({ attendees: 1, proposals: 1 });
		const stranger = actorOf(await makeUser());
		expect(
			(await domainError(() => castDot(stranger, event.id, proposals[0].id))).fields._form
		).toMatch(/ticket/);
		expect((await domainError(() => castDot(null, event.id, proposals[0].id))).kind).toBe(
			'unauthenticated'
		);
		const voter = other.attendees[0];
		expect((await domainError(() => castDot(voter, event.id, other.proposals[0].id))).kind).toBe(
			'not_found'
		);
		await setPhase(other.organiser, other.event.id, other.round.id, 'closed');
		expect(
			(await domainError(() => castDot(voter, other.event.id, other.proposals[0].id))).fields._form
		).toMatch(/phase/);
		const attendee = actorOf(await makeUser());
		expect((await domainError(() => setPhase(attendee, event.id, round.id, 'closed'))).kind).toBe(
			'forbidden'
		);
		expect(
			(await domainError(() => setPhase(organiser, other.event.id, round.id, 'closed'))).kind
		).toBe('forbidden');
	});

	it.runIf(onPostgres())(
		'negative control: reading the budget and writing it back lets one attendee over budget',
		async () => {
			const { round, attendees } = await votingRound({ attendees: 1, proposals: 1, limit: 5 });
			const [me] = attendees;
			const b = schema.dotBudgets;
			await db().insert(b).values({ roundId: round.id, userId: me.id });
			const naive = () =>
				db().transaction(async (tx) => {
					const [{ used }] = await tx
						.select({ used: b.used })
						.from(b)
						.where(and(eq(b.roundId, round.id), eq(b.userId, me.id)));
					if (used >= 5) return false;
					await tx.execute(sql`select pg_sleep(0.01)`);
					await tx
						.update(b)
						.set({ used: used + 1 })
						.where(and(eq(b.roundId, round.id), eq(b.userId, me.id)));
					return true;
				});
			const placed = (await Promise.all(Array.from({ length: 50 }, naive))).filter(Boolean).length;
			expect(placed).toBeGreaterThan(5);
		}
	);
});

describe('proposals', () => {
	it('an edit based on an old version is refused and shows the current text; history keeps all', async () => {
		const { event, organiser, round, attendees } = await votingRound({
			attendees: 2,
			proposals: 0
		});
		await setPhase(organiser, event.id, round.id, 'refining');
		const [convener, other] = attendees;
		const proposal = await propose(
			convener,
			event.id,
			round.id,
			proposalInput('Community servers')
		);
		await editProposal(convener, event.id, proposal.id, {
			...proposalInput('Community servers, together'),
			version: 1
		});
		const stale = await domainError(() =>
			editProposal(convener, event.id, proposal.id, { ...proposalInput('Servers'), version: 1 })
		);
		expect(stale).toBeInstanceOf(StaleEdit);
		expect((stale as StaleEdit).current.title).toBe('Community servers, together');
		expect(
			(
				await domainError(() =>
					editProposal(other, event.id, proposal.id, { ...proposalInput('Mine'), version: 2 })
				)
			).fields._form
		).toMatch(/conveners/);
		const history = await proposalHistory(event.id, proposal.id);
		expect(history.map((h) => [h.version, h.content.title])).toEqual([
			[2, 'Community servers, together'],
			[1, 'Community servers']
		]);
	});
});
