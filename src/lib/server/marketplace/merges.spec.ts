import { and, eq, like } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { m } from '$lib/paraglide/messages';
import { onPostgres, useTestDb } from '../../../../tests/fixtures/db';
import { domainError } from '../../../../tests/fixtures/domain-error';
import { actorOf, grantRole, makeUser } from '../../../../tests/fixtures/factories';
import {
	convenersOf,
	dotsOn,
	proposalInput,
	votingRound
} from '../../../../tests/fixtures/marketplace';
import { db, schema } from '../db';
import { isDomainError } from '../core/errors';
import { interestCounts, markInterest, myInterest } from './interest';
import { mergeProposals, undoMerge } from './merges';
import { propose } from './proposals';
import { setPhase } from './rounds';
import { castDot, myDots } from './dots';

useTestDb({ poolSize: 20 });

describe('merging proposals', () => {
	it('moves conveners and dots, gives back what passes the limit, tells the voter, and can be undone', async () => {
		const { event, organiser, round, attendees } = await votingRound({
			attendees: 3,
			proposals: 0,
			budget: 5,
			limit: 2
		});
		const [ana, ben, cas] = attendees;
		// Two duplicates, proposed by different people.
		await setPhase(organiser, event.id, round.id, 'refining');
		const servers = await propose(ana, event.id, round.id, proposalInput('Community servers'));
		const hosting = await propose(ben, event.id, round.id, proposalInput('Hosting together'));
		await setPhase(organiser, event.id, round.id, 'voting');
		// Ana: 2 on each (4 used). Ben: 1 on hosting. Cas: 2 on servers.
		for (const [who, on, n] of [
			[ana, servers, 2],
			[ana, hosting, 2],
			[ben, hosting, 1],
			[cas, servers, 2]
		] as const) {
			for (let i = 0; i < n; i++) await castDot(who, event.id, on.id);
		}

		const merge = await mergeProposals(organiser, event.id, hosting.id, servers.id, 'http://t');
		expect(await dotsOn(servers.id)).toEqual({ [ana.id]: 2, [ben.id]: 1, [cas.id]: 2 });
		expect(await dotsOn(hosting.id)).toEqual({});
		// Ana had 2 + 2 on the pair; the limit is 2, so 2 came back to her.
		expect((await myDots(ana, event.id, round.id)).left).toBe(3);
		expect((await myDots(ben, event.id, round.id)).left).toBe(4);
		expect(await convenersOf(servers.id)).toEqual([ana.id, ben.id].sort((a, b) => a - b));
		const [ana_] = await db().select().from(schema.users).where(eq(schema.users.id, ana.id));
		const told = await db()
			.select()
			.from(schema.outbox)
			.where(and(eq(schema.outbox.to, ana_.email), like(schema.outbox.subject, 'Your dots%')));
		expect(told).toHaveLength(1);
		expect(told[0].text).toContain('2 of your dots');
		// The merged-away proposal takes no dots.
		expect((await domainError(() => castDot(cas, event.id, hosting.id))).kind).toBe('not_found');

		await undoMerge(organiser, event.id, merge.id);
		expect(await dotsOn(servers.id)).toEqual({ [ana.id]: 2, [cas.id]: 2 });
		expect(await dotsOn(hosting.id)).toEqual({ [ana.id]: 2, [ben.id]: 1 });
		expect((await myDots(ana, event.id, round.id)).left).toBe(1);
		expect(await convenersOf(servers.id)).toEqual([ana.id]);
		expect((await domainError(() => undoMerge(organiser, event.id, merge.id))).kind).toBe(
			'not_found'
		);
	});

	it('an undo never lets anyone over budget: dots spent since stay where they are', async () => {
		const { event, organiser, round, attendees, proposals } = await votingRound({
			attendees: 1,
			proposals: 3,
			budget: 4,
			limit: 2
		});
		const [me] = attendees;
		const [a, b, c] = proposals;
		for (const on of [a, a, b, b]) await castDot(me, event.id, on.id);
		const merge = await mergeProposals(organiser, event.id, b.id, a.id, 'http://t');
		expect((await myDots(me, event.id, round.id)).left).toBe(2);
		await castDot(me, event.id, c.id);
		await castDot(me, event.id, c.id);
		await undoMerge(organiser, event.id, merge.id);
		const mine = await myDots(me, event.id, round.id);
		expect(mine.left).toBe(0);
		expect([...mine.perProposal.values()].reduce((s, n) => s + n, 0)).toBe(4);
	});

	it('only facilitators and organisers merge, only open proposals of this event and round', async () => {
		const { event, organiser, attendees, proposals } = await votingRound({
			attendees: 1,
			proposals: 2
		});
		const other = await votingRound({ attendees: 1, proposals: 1 });
		const facilitator = actorOf(await makeUser());
		await grantRole(event.id, facilitator.id, 'facilitator');
		const [a, b] = proposals;
		expect(
			(await domainError(() => mergeProposals(attendees[0], event.id, a.id, b.id, 'http://t'))).kind
		).toBe('forbidden');
		expect(
			(await domainError(() => mergeProposals(organiser, event.id, a.id, a.id, 'http://t'))).fields
				.targetId
		).toBe(m.error_merge_same());
		expect(
			(
				await domainError(() =>
					mergeProposals(organiser, event.id, a.id, other.proposals[0].id, 'http://t')
				)
			).kind
		).toBe('not_found');
		await mergeProposals(facilitator, event.id, a.id, b.id, 'http://t');
		expect(
			(await domainError(() => mergeProposals(organiser, event.id, a.id, b.id, 'http://t'))).fields
				.targetId
		).toBe(m.error_merge_closed());
	});

	it('moves "I\'d come" marks counting each person once, and an undo restores both counts', async () => {
		const { event, organiser, round, attendees, proposals } = await votingRound({
			attendees: 4,
			proposals: 2
		});
		const [both, sourceOnly, targetOnly, neither] = attendees;
		const [keep, gone] = proposals;
		await markInterest(both, event.id, keep.id);
		await markInterest(both, event.id, gone.id);
		await markInterest(sourceOnly, event.id, gone.id);
		await markInterest(targetOnly, event.id, keep.id);
		const before = await interestCounts(round.id);
		expect(before).toEqual(
			new Map([
				[keep.id, 2],
				[gone.id, 2]
			])
		);

		const merge = await mergeProposals(organiser, event.id, gone.id, keep.id, 'http://t');
		// Three different people marked the pair: three, not four.
		expect(await interestCounts(round.id)).toEqual(new Map([[keep.id, 3]]));
		expect(merge.movedInterest).toEqual([sourceOnly.id]);
		expect(await myInterest(sourceOnly, event.id, round.id)).toEqual(new Set([keep.id, gone.id]));
		expect(await myInterest(neither, event.id, round.id)).toEqual(new Set());

		await undoMerge(organiser, event.id, merge.id);
		expect(await interestCounts(round.id)).toEqual(before);
		expect(await myInterest(both, event.id, round.id)).toEqual(new Set([keep.id, gone.id]));
		expect(await myInterest(sourceOnly, event.id, round.id)).toEqual(new Set([gone.id]));
		expect(await myInterest(targetOnly, event.id, round.id)).toEqual(new Set([keep.id]));
	});

	it.runIf(onPostgres())(
		'merging while people vote on both proposals: nobody ends over the limit or the budget',
		async () => {
			const { event, organiser, round, attendees, proposals } = await votingRound({
				attendees: 20,
				proposals: 2,
				budget: 5,
				limit: 2
			});
			const [keep, gone] = proposals;
			const votes = attendees.flatMap((a) => [
				castDot(a, event.id, keep.id),
				castDot(a, event.id, gone.id),
				castDot(a, event.id, gone.id),
				castDot(a, event.id, keep.id)
			]);
			const results = await Promise.allSettled([
				...votes,
				mergeProposals(organiser, event.id, gone.id, keep.id, 'http://t')
			]);
			for (const r of results) {
				if (r.status === 'rejected' && !isDomainError(r.reason)) throw r.reason;
			}
			const dots = await db().select().from(schema.dots).where(eq(schema.dots.roundId, round.id));
			expect(dots.filter((x) => x.proposalId === gone.id && x.count > 0)).toEqual([]);
			expect(dots.every((x) => x.count <= 2)).toBe(true);
			const budgets = await db()
				.select()
				.from(schema.dotBudgets)
				.where(eq(schema.dotBudgets.roundId, round.id));
			for (const budget of budgets) {
				const placed = dots
					.filter((x) => x.userId === budget.userId)
					.reduce((s, x) => s + x.count, 0);
				// The budget counter always equals the dots actually placed.
				expect(budget.used).toBe(placed);
				expect(placed).toBeLessThanOrEqual(5);
			}
		}
	);
});
