import { and, eq, like } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { m } from '$lib/paraglide/messages';
import { useTestDb } from '../../../../tests/fixtures/db';
import { domainError } from '../../../../tests/fixtures/domain-error';
import { actorOf, grantRole, makeUser } from '../../../../tests/fixtures/factories';
import {
	convenersOf,
	dotsOn,
	openRound,
	proposalInput,
	votingRound
} from '../../../../tests/fixtures/marketplace';
import { db, schema } from '../db';
import { isDomainError } from '../core/errors';
import {
	agreeToMerge,
	declineMerge,
	mergeRequestsOf,
	requestMerge,
	withdrawMergeRequest
} from './merge-requests';
import { mergeProposals, undoMerge } from './merges';
import { joinAsConvener, propose } from './proposals';
import { setPhase } from './rounds';
import { castDot, myDots } from './dots';

useTestDb({ poolSize: 20 });

/** A voting round where Ana convenes "Community servers" and Ben "Hosting together". */
async function twoDuplicates(attendees = 4) {
	const setup = await votingRound({ attendees, proposals: 0, budget: 5, limit: 2 });
	const { event, organiser, round } = setup;
	const [ana, ben] = setup.attendees;
	await setPhase(organiser, event.id, round.id, 'refining');
	const servers = await propose(ana, event.id, round.id, proposalInput('Community servers'));
	const hosting = await propose(ben, event.id, round.id, proposalInput('Hosting together'));
	await setPhase(organiser, event.id, round.id, 'voting');
	return { ...setup, ana, ben, servers, hosting };
}

const mergesOf = (eventId: number) =>
	db().select().from(schema.merges).where(eq(schema.merges.eventId, eventId));

async function statusOf(requestId: number) {
	const [row] = await db()
		.select()
		.from(schema.mergeRequests)
		.where(eq(schema.mergeRequests.id, requestId));
	return row.status;
}

async function mailsTo(userId: number, subject: string) {
	const [user] = await db().select().from(schema.users).where(eq(schema.users.id, userId));
	return db()
		.select()
		.from(schema.outbox)
		.where(and(eq(schema.outbox.to, user.email), like(schema.outbox.subject, subject)));
}

describe('conveners merging duplicates', () => {
	it('a convener suggests, one of the other side agrees, and it is a facilitator merge in all but name', async () => {
		const { event, round, attendees, ana, ben, servers, hosting } = await twoDuplicates(3);
		const cas = attendees[2];
		for (const [who, on, n] of [
			[ana, servers, 2],
			[ana, hosting, 2],
			[ben, hosting, 1],
			[cas, servers, 2]
		] as const) {
			for (let i = 0; i < n; i++) await castDot(who, event.id, on.id);
		}

		const request = await requestMerge(ana, event.id, hosting.id, servers.id, 'http://t');
		const told = await mailsTo(ben.id, 'A merge suggested%');
		expect(told).toHaveLength(1);
		expect(told[0].text).toContain(`http://t/e/${event.slug}/marketplace/${hosting.id}`);
		expect(await mailsTo(ana.id, 'A merge suggested%')).toHaveLength(0);
		const listed = await mergeRequestsOf(event.id, hosting.id);
		expect(listed.map((x) => [x.source, x.target, x.deciders])).toEqual([
			['Hosting together', 'Community servers', [ben.id]]
		]);

		const merge = await agreeToMerge(ben, event.id, request.id, 'http://t');
		expect(merge.mergedBy).toBe(ben.id);
		expect(await statusOf(request.id)).toBe('merged');
		expect(await mergeRequestsOf(event.id, servers.id)).toEqual([]);
		expect(await dotsOn(servers.id)).toEqual({ [ana.id]: 2, [ben.id]: 1, [cas.id]: 2 });
		expect(await dotsOn(hosting.id)).toEqual({});
		// Ana had 2 + 2 on the pair with a limit of 2: two came back, and she was told.
		expect((await myDots(ana, event.id, round.id)).left).toBe(3);
		expect(await mailsTo(ana.id, 'Your dots%')).toHaveLength(1);
		expect(await convenersOf(servers.id)).toEqual([ana.id, ben.id].sort((a, b) => a - b));
		const [gone] = await db()
			.select()
			.from(schema.proposals)
			.where(eq(schema.proposals.id, hosting.id));
		expect([gone.status, gone.mergedInto]).toEqual(['merged', servers.id]);

		// A facilitator can undo it like any other merge.
		const facilitator = actorOf(await makeUser());
		await grantRole(event.id, facilitator.id, 'facilitator');
		await undoMerge(facilitator, event.id, merge.id);
		expect(await dotsOn(hosting.id)).toEqual({ [ana.id]: 2, [ben.id]: 1 });
		expect(await convenersOf(servers.id)).toEqual([ana.id]);
	});

	it('refuses people who convene neither, the requester agreeing, and the requester’s own side', async () => {
		const { event, attendees, ana, ben, servers, hosting } = await twoDuplicates(4);
		const [, , cas, dan] = attendees;
		expect(
			(await domainError(() => requestMerge(cas, event.id, hosting.id, servers.id, 'http://t')))
				.kind
		).toBe('forbidden');
		expect(
			(await domainError(() => requestMerge(ana, event.id, servers.id, servers.id, 'http://t')))
				.fields.targetId
		).toBe(m.mrq_error_same());
		expect((await domainError(() => requestMerge(null, event.id, 1, 2, 'http://t'))).kind).toBe(
			'unauthenticated'
		);

		const request = await requestMerge(ana, event.id, servers.id, hosting.id, 'http://t');
		// The same pair again, either way round, is refused.
		for (const [s, t] of [
			[servers.id, hosting.id],
			[hosting.id, servers.id]
		]) {
			const e = await domainError(() => requestMerge(ben, event.id, s, t, 'http://t'));
			expect(e.fields.targetId).toBe(m.mrq_error_duplicate());
		}

		expect(
			(await domainError(() => agreeToMerge(ana, event.id, request.id, 'http://t'))).fields._form
		).toBe(m.mrq_error_own());
		await joinAsConvener(dan, event.id, servers.id);
		for (const who of [dan, cas]) {
			expect(
				(await domainError(() => agreeToMerge(who, event.id, request.id, 'http://t'))).kind
			).toBe('forbidden');
			expect((await domainError(() => declineMerge(who, event.id, request.id))).kind).toBe(
				'forbidden'
			);
		}
		expect((await domainError(() => withdrawMergeRequest(ben, event.id, request.id))).kind).toBe(
			'forbidden'
		);
		expect(await mergesOf(event.id)).toEqual([]);
		expect(await statusOf(request.id)).toBe('open');

		// Someone convening both proposals is sent to a facilitator.
		await joinAsConvener(cas, event.id, servers.id);
		await joinAsConvener(cas, event.id, hosting.id);
		await withdrawMergeRequest(ana, event.id, request.id);
		expect(
			(await domainError(() => requestMerge(cas, event.id, servers.id, hosting.id, 'http://t')))
				.fields.targetId
		).toBe(m.mrq_error_both());
		// A decided request cannot be decided again.
		expect(
			(await domainError(() => agreeToMerge(ben, event.id, request.id, 'http://t'))).fields._form
		).toBe(m.mrq_error_decided());
		expect(await statusOf(request.id)).toBe('withdrawn');
	});

	it('only proposals of this event and round, open, before voting closes', async () => {
		const { event, organiser, round, ana, ben, servers, hosting } = await twoDuplicates(2);
		const other = await votingRound({ attendees: 1, proposals: 1 });
		expect(
			(
				await domainError(() =>
					requestMerge(ana, event.id, servers.id, other.proposals[0].id, 'http://t')
				)
			).kind
		).toBe('not_found');
		const request = await requestMerge(ana, event.id, servers.id, hosting.id, 'http://t');
		expect(
			(await domainError(() => agreeToMerge(ben, other.event.id, request.id, 'http://t'))).kind
		).toBe('not_found');
		expect((await domainError(() => declineMerge(ben, other.event.id, request.id))).kind).toBe(
			'not_found'
		);
		expect(
			(await domainError(() => withdrawMergeRequest(ana, other.event.id, request.id))).kind
		).toBe('not_found');

		const round2 = await openRound(organiser, event.id, {
			title: 'Round 2',
			dotBudget: 5,
			perProposalLimit: 2
		});
		const later = await propose(ana, event.id, round2.id, proposalInput('Later'));
		expect(
			(await domainError(() => requestMerge(ana, event.id, later.id, hosting.id, 'http://t')))
				.fields.targetId
		).toBe(m.mrq_error_round());

		// Voting closed: no new suggestion, and the open one can no longer be agreed.
		await setPhase(organiser, event.id, round.id, 'closed');
		await withdrawMergeRequest(ana, event.id, request.id);
		expect(
			(await domainError(() => requestMerge(ben, event.id, hosting.id, servers.id, 'http://t')))
				.fields.targetId
		).toBe(m.mrq_error_phase());
		await setPhase(organiser, event.id, round.id, 'voting');
		const again = await requestMerge(ben, event.id, hosting.id, servers.id, 'http://t');
		await setPhase(organiser, event.id, round.id, 'closed');
		expect(
			(await domainError(() => agreeToMerge(ana, event.id, again.id, 'http://t'))).fields._form
		).toBe(m.mrq_error_phase());
		expect(await mergesOf(event.id)).toEqual([]);
		expect(await statusOf(again.id)).toBe('open');
	});

	it('a facilitator merging first leaves the request with nothing to agree to', async () => {
		const { event, organiser, attendees, ana, ben, servers, hosting } = await twoDuplicates(3);
		const request = await requestMerge(ana, event.id, hosting.id, servers.id, 'http://t');
		await setPhase(organiser, event.id, servers.roundId, 'refining');
		const third = await propose(attendees[2], event.id, servers.roundId, proposalInput('Third'));
		await mergeProposals(organiser, event.id, hosting.id, third.id, 'http://t');
		expect(await mergeRequestsOf(event.id, servers.id)).toEqual([]);
		const e = await domainError(() => agreeToMerge(ben, event.id, request.id, 'http://t'));
		expect(e.fields._form).toBe(m.mrq_error_not_open());
		// The refused agreement took nothing: the request is still open, one merge stands.
		expect(await statusOf(request.id)).toBe('open');
		expect(await mergesOf(event.id)).toHaveLength(1);
		expect(
			(await domainError(() => requestMerge(ana, event.id, servers.id, hosting.id, 'http://t')))
				.fields.targetId
		).toBe(m.mrq_error_closed());
	});

	it('ten conveners of the other side agreeing at once merge once', async () => {
		const { event, attendees, ana, ben, hosting, servers } = await twoDuplicates(12);
		const others = attendees.slice(2, 11);
		for (const who of others) await joinAsConvener(who, event.id, hosting.id);
		const request = await requestMerge(ana, event.id, servers.id, hosting.id, 'http://t');
		const results = await Promise.allSettled(
			[ben, ...others].map((who) => agreeToMerge(who, event.id, request.id, 'http://t'))
		);
		for (const x of results) {
			if (x.status === 'rejected' && !isDomainError(x.reason)) throw x.reason;
		}
		expect(results.filter((x) => x.status === 'fulfilled')).toHaveLength(1);
		expect(await mergesOf(event.id)).toHaveLength(1);
		expect(await statusOf(request.id)).toBe('merged');
	});

	it('agreeing and declining at once: exactly one of them happens', async () => {
		for (let attempt = 0; attempt < 3; attempt++) {
			const { event, attendees, ana, ben, hosting, servers } = await twoDuplicates(3);
			const dan = attendees[2];
			await joinAsConvener(dan, event.id, hosting.id);
			const request = await requestMerge(ana, event.id, servers.id, hosting.id, 'http://t');
			const [agreed, declined] = await Promise.allSettled([
				agreeToMerge(ben, event.id, request.id, 'http://t'),
				declineMerge(dan, event.id, request.id)
			]);
			expect([agreed.status, declined.status].sort()).toEqual(['fulfilled', 'rejected']);
			const merges = await mergesOf(event.id);
			expect(await statusOf(request.id)).toBe(
				agreed.status === 'fulfilled' ? 'merged' : 'declined'
			);
			expect(merges).toHaveLength(agreed.status === 'fulfilled' ? 1 : 0);
		}
	});
});
