import { randomUUID } from 'node:crypto';
import { isActionFailure } from '@sveltejs/kit';
import { and, eq, sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { useTestDb } from '../../../../tests/fixtures/db';
import { harvestSessions as harvestEvent } from '../../../../tests/fixtures/harvest';
import { proposalInput, votingRound as votingEvent } from '../../../../tests/fixtures/marketplace';
import { setEventStatus } from '../events/events';
import { db, schema } from '../db';
import { castDot } from '../marketplace/dots';
import { setPhase } from '../marketplace/rounds';
import { actions as marketplaceActions } from '../../../routes/(public)/e/[event=slug]/marketplace/+page.server';
import { actions as proposalActions } from '../../../routes/(public)/e/[event=slug]/marketplace/[id=id]/+page.server';
import { actions as harvestActions } from '../../../routes/(public)/e/[event=slug]/sessions/[session=id]/harvest/+page.server';
import { actions as agendaActions } from '../../../routes/(public)/e/[event=slug]/agenda/+page.server';
import { forgetOldActions } from './once';

useTestDb({ poolSize: 20 });

type Actor = { id: number; isAdmin: boolean };

/** The routes answer only for a published event, as attendees see it. */
async function published<R extends { event: { id: number }; organiser: Actor }>(made: Promise<R>) {
	const r = await made;
	await setEventStatus(r.organiser, r.event.id, 'published');
	return r;
}
const votingRound = (opts: Parameters<typeof votingEvent>[0]) => published(votingEvent(opts));
const harvestSessions = () => published(harvestEvent());

/** A form post to a route's action as SvelteKit hands it over: each delivery its own request. */
function post(
	path: string,
	fields: Record<string, string | number>,
	actor: Actor,
	params: Record<string, string>
) {
	const url = new URL(`http://localhost${path}`);
	const body = new FormData();
	for (const [k, v] of Object.entries(fields)) body.set(k, String(v));
	const request = new Request(url, { method: 'POST', body });
	const locals = { user: { ...actor, name: 'x', email: 'x@example.org' } };
	// Only what the actions read: the request, who is signed in, the URL and its parameters.
	return { request, locals, params, url } as never;
}

/** The same delivery sent `times` times at once; every answer, in order. */
const deliver = <T>(times: number, send: () => T | Promise<T>) =>
	Promise.all(Array.from({ length: times }, async () => send()));

async function dotsPlaced(roundId: number, userId: number) {
	const [row] = await db()
		.select({ used: schema.dotBudgets.used })
		.from(schema.dotBudgets)
		.where(and(eq(schema.dotBudgets.roundId, roundId), eq(schema.dotBudgets.userId, userId)));
	return row?.used ?? 0;
}

async function itemsOf(sessionId: number) {
	const h = schema.harvests;
	const rows = await db()
		.select({ text: schema.harvestItems.text })
		.from(schema.harvestItems)
		.innerJoin(h, eq(h.id, schema.harvestItems.harvestId))
		.where(eq(h.sessionId, sessionId));
	return rows.map((r) => r.text);
}

describe('an action sent with an id from the phone is applied once', () => {
	for (const times of [1, 2, 50]) {
		it(`a dot delivered ${times} time(s) at once is placed once, every answer the same`, async () => {
			const { event, round, attendees, proposals } = await votingRound({
				attendees: 1,
				proposals: 1,
				budget: 60,
				limit: 60
			});
			const [me] = attendees;
			const actionId = randomUUID();
			const slug = { event: event.slug };
			const path = `/e/${event.slug}/marketplace?/dot`;
			const answers = await deliver(times, () =>
				marketplaceActions.dot(post(path, { proposalId: proposals[0].id, actionId }, me, slug))
			);
			expect(await dotsPlaced(round.id, me.id)).toBe(1);
			expect(answers[0]).toEqual({
				form: `dot-${proposals[0].id}`,
				dot: { proposalId: proposals[0].id, total: 1, mine: 1, left: 59 }
			});
			for (const answer of answers) expect(answer).toEqual(answers[0]);
		});
	}

	it('negative control: the same dot sent 50 times at once without an id is placed 50 times', async () => {
		const { event, round, attendees, proposals } = await votingRound({
			attendees: 1,
			proposals: 1,
			budget: 60,
			limit: 60
		});
		const [me] = attendees;
		const path = `/e/${event.slug}/marketplace?/dot`;
		await deliver(50, () =>
			marketplaceActions.dot(post(path, { proposalId: proposals[0].id }, me, { event: event.slug }))
		);
		expect(await dotsPlaced(round.id, me.id)).toBe(50);
	});

	it('a repeat after others changed things gets the first answer and changes nothing', async () => {
		const { event, round, attendees, proposals } = await votingRound({
			attendees: 2,
			proposals: 1
		});
		const [me, other] = attendees;
		const actionId = randomUUID();
		const send = () =>
			marketplaceActions.dot(
				post(`/e/${event.slug}/marketplace?/dot`, { proposalId: proposals[0].id, actionId }, me, {
					event: event.slug
				})
			);
		const first = await send();
		await castDot(other, event.id, proposals[0].id);
		expect(await send()).toEqual(first);
		expect(await dotsPlaced(round.id, me.id)).toBe(1);
	});

	it('a refused dot stays refused, with its reason, when sent again', async () => {
		const { event, organiser, round, attendees, proposals } = await votingRound({
			attendees: 1,
			proposals: 1
		});
		const [me] = attendees;
		await setPhase(organiser, event.id, round.id, 'closed');
		const actionId = randomUUID();
		const send = () =>
			marketplaceActions.dot(
				post(`/e/${event.slug}/marketplace?/dot`, { proposalId: proposals[0].id, actionId }, me, {
					event: event.slug
				})
			);
		const [first, again] = await deliver(2, send);
		expect(isActionFailure(first)).toBe(true);
		expect(first).toEqual(again);
		const failure = first as { status: number; data: { errors: Record<string, string> } };
		expect(failure.status).toBe(400);
		expect(failure.data.errors._form).toBeTruthy();
		expect(await dotsPlaced(round.id, me.id)).toBe(0);
	});

	it('one id is one person’s: someone else sending the same id applies their own action', async () => {
		const { event, round, attendees, proposals } = await votingRound({
			attendees: 2,
			proposals: 1
		});
		const actionId = randomUUID();
		for (const who of attendees)
			await marketplaceActions.dot(
				post(`/e/${event.slug}/marketplace?/dot`, { proposalId: proposals[0].id, actionId }, who, {
					event: event.slug
				})
			);
		expect(await dotsPlaced(round.id, attendees[0].id)).toBe(1);
		expect(await dotsPlaced(round.id, attendees[1].id)).toBe(1);
	});

	for (const times of [1, 2, 50]) {
		it(`a harvest insight delivered ${times} time(s) at once is added once`, async () => {
			const { event, session, attendees } = await harvestSessions();
			const actionId = randomUUID();
			const params = { event: event.slug, session: String(session.id) };
			const answers = await deliver(times, () =>
				harvestActions.add(
					post(
						`/e/${event.slug}/sessions/${session.id}/harvest?/add`,
						{ kind: 'insight', text: 'Once only', actionId },
						attendees[0],
						params
					)
				)
			);
			expect(await itemsOf(session.id)).toEqual(['Once only']);
			for (const answer of answers) expect(answer).toEqual({ form: 'add-insight', saved: true });
		});
	}

	it('negative control: the insight sent twice without an id is added twice', async () => {
		const { event, session, attendees } = await harvestSessions();
		const params = { event: event.slug, session: String(session.id) };
		await deliver(2, () =>
			harvestActions.add(
				post(
					`/e/${event.slug}/sessions/${session.id}/harvest?/add`,
					{ kind: 'insight', text: 'Twice' },
					attendees[0],
					params
				)
			)
		);
		expect(await itemsOf(session.id)).toEqual(['Twice', 'Twice']);
	});

	it('a proposal and a comment sent 50 times at once are each made once', async () => {
		const { event, organiser, round, attendees, proposals } = await votingRound({
			attendees: 1,
			proposals: 1
		});
		await setPhase(organiser, event.id, round.id, 'proposing');
		const [me] = attendees;
		const proposalId = randomUUID();
		const input = proposalInput('Made once');
		const proposed = await deliver(50, () =>
			marketplaceActions.propose(
				post(
					`/e/${event.slug}/marketplace?/propose`,
					{
						roundId: round.id,
						title: input.title,
						question: input.question,
						format: input.format,
						actionId: proposalId
					},
					me,
					{ event: event.slug }
				)
			)
		);
		const made = await db()
			.select({ n: sql<number>`count(*)::int` })
			.from(schema.proposals)
			.where(and(eq(schema.proposals.roundId, round.id), eq(schema.proposals.title, 'Made once')));
		expect(proposed[0]).toMatchObject({ saved: true, title: 'Made once' });
		expect(made[0].n).toBe(1);

		const commentId = randomUUID();
		await deliver(50, () =>
			proposalActions.comment(
				post(
					`/e/${event.slug}/marketplace/${proposals[0].id}?/comment`,
					{ body: 'Said once', actionId: commentId },
					me,
					{ event: event.slug, id: String(proposals[0].id) }
				)
			)
		);
		const said = await db()
			.select({ n: sql<number>`count(*)::int` })
			.from(schema.proposalComments)
			.where(eq(schema.proposalComments.proposalId, proposals[0].id));
		expect(said[0].n).toBe(1);
		expect(
			await db()
				.select({ n: sql<number>`count(*)::int` })
				.from(schema.appliedActions)
				.where(eq(schema.appliedActions.userId, me.id))
		).toEqual([{ n: 2 }]);
	});

	it('"I’m here" sent twice at once answers the same both times', async () => {
		const { event, session, attendees } = await harvestSessions();
		const actionId = randomUUID();
		const answers = await deliver(2, () =>
			agendaActions.here(
				post(`/e/${event.slug}/agenda?/here`, { sessionId: session.id, actionId }, attendees[0], {
					event: event.slug
				})
			)
		);
		expect(answers[0]).toEqual({ form: `session-${session.id}`, saved: true });
		expect(answers[1]).toEqual(answers[0]);
		const here = await db()
			.select()
			.from(schema.sessionPresence)
			.where(eq(schema.sessionPresence.userId, attendees[0].id));
		expect(here.map((p) => p.sessionId)).toEqual([session.id]);
	});

	it('a malformed id is refused and nothing is applied', async () => {
		const { event, round, attendees, proposals } = await votingRound({
			attendees: 1,
			proposals: 1
		});
		const answer = await marketplaceActions.dot(
			post(
				`/e/${event.slug}/marketplace?/dot`,
				{ proposalId: proposals[0].id, actionId: 'not-an-id' },
				attendees[0],
				{ event: event.slug }
			)
		);
		expect(isActionFailure(answer)).toBe(true);
		expect(await dotsPlaced(round.id, attendees[0].id)).toBe(0);
	});

	it('ids older than a week are forgotten by the sweeper', async () => {
		const { event, attendees, proposals } = await votingRound({ attendees: 1, proposals: 1 });
		await marketplaceActions.dot(
			post(
				`/e/${event.slug}/marketplace?/dot`,
				{ proposalId: proposals[0].id, actionId: randomUUID() },
				attendees[0],
				{ event: event.slug }
			)
		);
		const mine = () =>
			db()
				.select()
				.from(schema.appliedActions)
				.where(eq(schema.appliedActions.userId, attendees[0].id));
		await forgetOldActions(new Date(Date.now() + 6 * 86_400_000));
		expect(await mine()).toHaveLength(1);
		expect(await forgetOldActions(new Date(Date.now() + 8 * 86_400_000))).toBeGreaterThan(0);
		expect(await mine()).toHaveLength(0);
	});
});
