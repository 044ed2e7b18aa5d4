import { and, asc, eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import type { LiveTopics } from '$lib/live/topics';
import { useTestDb } from '../../../../tests/fixtures/db';
import { actorOf, grantRole, makeUser } from '../../../../tests/fixtures/factories';
import { votingRound } from '../../../../tests/fixtures/marketplace';
import { db, schema } from '../db';
import { setShownName } from '../people/shown-name';
import { attendeeBoard, marketplaceBoard } from './board';
import { mergeProposals } from './merges';
import { joinAsConvener } from './proposals';
import { castDot } from './dots';
import { markInterest } from './interest';
import { proposalPage } from './proposal-page';
import { createRound, setPhase } from './rounds';
import { domainError } from '../../../../tests/fixtures/domain-error';

// The read model every marketplace screen shows, and the rights it hands out with it.

useTestDb();

/** The last `proposal` message about this proposal. */
async function lastNews(eventId: number, proposalId: number) {
	const rows = await db()
		.select({ data: schema.liveEvents.data })
		.from(schema.liveEvents)
		.where(and(eq(schema.liveEvents.eventId, eventId), eq(schema.liveEvents.topic, 'proposal')))
		.orderBy(asc(schema.liveEvents.id));
	return rows
		.map((r) => r.data as LiveTopics['proposal'])
		.filter((x) => x.proposalId === proposalId)
		.at(-1);
}

describe('the board', () => {
	it('one read for every screen: totals, marks, instants as ISO strings; ranked once the vote is over', async () => {
		const { event, organiser, round, attendees, proposals } = await votingRound({
			attendees: 2,
			proposals: 3,
			budget: 5,
			limit: 2
		});
		const [ana, ben] = attendees;
		const [first, second] = proposals;
		await setPhase(organiser, event.id, round.id, 'voting', 10);
		await castDot(ana, event.id, second.id);
		await castDot(ana, event.id, second.id);
		await castDot(ben, event.id, first.id);
		await markInterest(ben, event.id, first.id);

		const board = await marketplaceBoard(event.id);
		expect(typeof board.serverNow).toBe('string');
		const [shown] = board.rounds;
		expect(shown.phaseEndsAt).toMatch(/^\d{4}-\d\d-\d\dT/);
		// While voting, cards keep the order they were posted in.
		expect(shown.proposals.map((x) => [x.id, x.total, x.interest])).toEqual([
			[first.id, 1, 1],
			[second.id, 2, 0],
			[proposals[2].id, 0, 0]
		]);

		const mine = await attendeeBoard(ana, event.id);
		expect(mine.role).toEqual({ signedIn: true, participant: true, voter: true, run: false });
		expect(mine.current[0].rights).toEqual({ propose: false, vote: true, markInterest: true });
		expect(mine.current[0].left).toBe(3);
		expect(mine.current[0].proposals.map((x) => x.mine)).toEqual([0, 2, 0]);

		// The facilitator runs the marketplace without a ticket: no dots, no budget shown.
		const facilitator = actorOf(await makeUser());
		await grantRole(event.id, facilitator.id, 'facilitator');
		const theirs = await attendeeBoard(facilitator, event.id);
		expect(theirs.role).toEqual({ signedIn: true, participant: true, voter: false, run: true });
		expect(theirs.current[0].rights.vote).toBe(false);
		expect(theirs.current[0].left).toBeNull();
		expect((await attendeeBoard(null, event.id)).role.participant).toBe(false);

		await setPhase(organiser, event.id, round.id, 'closed');
		const after = await attendeeBoard(ana, event.id);
		expect(after.current).toEqual([]);
		expect(after.earlier[0].proposals.map((x) => x.id)).toEqual([
			second.id,
			first.id,
			proposals[2].id
		]);
		expect(after.earlier[0].phaseEndsAt).toBeNull();
		expect(after.earlier[0].rights).toEqual({ propose: false, vote: false, markInterest: false });
	});

	it('a proposal page says what each person may do there, by phase and by who they are', async () => {
		const { event, organiser, round, attendees, proposals } = await votingRound({
			attendees: 2,
			proposals: 2
		});
		const [ana, ben] = attendees;
		const [proposal] = proposals;
		await setPhase(organiser, event.id, round.id, 'refining');
		const stranger = actorOf(await makeUser());

		const convener = await proposalPage(ana, event.id, proposal.id);
		expect(convener.rights).toEqual({
			isConvener: true,
			edit: true,
			decide: true,
			join: false,
			comment: true,
			suggest: false,
			markInterest: true,
			requestMerge: true
		});
		expect(convener.mergeCandidates).toEqual([{ id: proposals[1].id, title: proposals[1].title }]);
		const other = await proposalPage(ben, event.id, proposal.id);
		expect(other.rights).toMatchObject({
			isConvener: false,
			edit: false,
			join: true,
			suggest: true
		});
		expect(other.mergeCandidates).toBeNull();
		const outsider = await proposalPage(stranger, event.id, proposal.id);
		expect(outsider.rights).toMatchObject({ join: true, comment: false, markInterest: false });

		await setPhase(organiser, event.id, round.id, 'closed');
		expect((await proposalPage(ben, event.id, proposal.id)).rights).toMatchObject({
			comment: false,
			suggest: false,
			markInterest: false
		});
		expect((await proposalPage(organiser, event.id, proposal.id)).rights.edit).toBe(true);
	});

	it('keeps a round not open yet from attendees: listed only by its opening time, once it has one', async () => {
		const { event, organiser, round, attendees, proposals } = await votingRound({
			attendees: 1,
			proposals: 1
		});
		const [ana] = attendees;
		const later = await createRound(organiser, event.id, {
			title: 'Day 2',
			dotBudget: 5,
			perProposalLimit: 2
		});
		expect(later.phase).toBe('preparing');
		const hidden = await attendeeBoard(ana, event.id);
		expect([...hidden.current, ...hidden.earlier].map((r) => r.id)).toEqual([round.id]);
		expect(hidden.upcoming).toEqual([]);

		// With a countdown it is announced, collapsed to its title and when it opens.
		const timed = await setPhase(organiser, event.id, later.id, 'preparing', 60);
		const announced = await attendeeBoard(ana, event.id);
		expect(announced.upcoming).toEqual([
			{ id: later.id, title: 'Day 2', opensAt: timed.phaseEndsAt!.toISOString() }
		]);
		expect(announced.current.map((r) => r.id)).toEqual([round.id]);

		// Opened, it is under way with the other round, the earlier one (today's) first.
		await setPhase(organiser, event.id, later.id, 'proposing');
		const open = await attendeeBoard(ana, event.id);
		expect(open.current.map((r) => r.id)).toEqual([round.id, later.id]);
		expect(open.upcoming).toEqual([]);

		// A round taken back to "not open yet" hides its proposals' pages from attendees too.
		await setPhase(organiser, event.id, round.id, 'preparing');
		expect((await domainError(() => proposalPage(ana, event.id, proposals[0].id))).kind).toBe(
			'not_found'
		);
		expect((await proposalPage(organiser, event.id, proposals[0].id)).proposal.id).toBe(
			proposals[0].id
		);
	});

	it('a proposal message carries its new card as the board shows it, conveners by shown name; a merged-away one carries none', async () => {
		const { event, organiser, round, attendees, proposals } = await votingRound({
			attendees: 2,
			proposals: 2
		});
		const [ana, ben] = attendees;
		const [first, second] = proposals;
		const [account] = await db()
			.select({ name: schema.users.name })
			.from(schema.users)
			.where(eq(schema.users.id, ben.id));
		await setShownName(ana, event.id, 'Ana in the orchard');
		await setShownName(ben, event.id, 'Bee from the garden');
		await setPhase(organiser, event.id, round.id, 'refining');
		await markInterest(ana, event.id, first.id);
		await joinAsConvener(ben, event.id, first.id);

		const cardOf = async (id: number) =>
			(await marketplaceBoard(event.id)).rounds[0].proposals.find((x) => x.id === id) ?? null;
		const joined = await lastNews(event.id, first.id);
		expect(joined).toEqual({
			roundId: round.id,
			proposalId: first.id,
			card: await cardOf(first.id)
		});
		expect(joined?.card?.conveners).toEqual(['Ana in the orchard', 'Bee from the garden']);
		expect(JSON.stringify(joined)).not.toContain(account.name);
		expect(joined?.card?.interest).toBe(1);

		await mergeProposals(organiser, event.id, second.id, first.id, 'http://t');
		expect(await lastNews(event.id, second.id)).toEqual({
			roundId: round.id,
			proposalId: second.id,
			card: null
		});
		expect((await lastNews(event.id, first.id))?.card).toEqual(await cardOf(first.id));
	});
});
