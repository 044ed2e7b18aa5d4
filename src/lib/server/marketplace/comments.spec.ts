import { and, eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { m } from '$lib/paraglide/messages';
import { onPostgres, useTestDb } from '../../../../tests/fixtures/db';
import { domainError } from '../../../../tests/fixtures/domain-error';
import { actorOf, grantRole, makeUser } from '../../../../tests/fixtures/factories';
import { votingRound } from '../../../../tests/fixtures/marketplace';
import {
	addComment,
	leaveSuggestion,
	listComments,
	suggestChange,
	takeSuggestion
} from './comments';
import { db, schema } from '../db';
import { isDomainError } from '../core/errors';
import { mergeProposals } from './merges';
import { editProposal, joinAsConvener, proposalHistory, StaleEdit } from './proposals';
import { setPhase } from './rounds';

useTestDb({ poolSize: 20 });

/** A round being refined: attendees[0] convenes every proposal, the others hold tickets. */
async function refining(opts: { attendees?: number; proposals?: number } = {}) {
	const world = await votingRound({
		attendees: opts.attendees ?? 3,
		proposals: opts.proposals ?? 1
	});
	await setPhase(world.organiser, world.event.id, world.round.id, 'refining');
	return world;
}

const announced = (eventId: number, topic: string) =>
	db()
		.select({ data: schema.liveEvents.data })
		.from(schema.liveEvents)
		.where(and(eq(schema.liveEvents.eventId, eventId), eq(schema.liveEvents.topic, topic)));

const logged = (eventId: number, action: string) =>
	db()
		.select()
		.from(schema.activity)
		.where(and(eq(schema.activity.eventId, eventId), eq(schema.activity.action, action)));

const edit = (title: string, version: number) => ({
	title,
	question: 'How do we share servers?',
	description: '',
	format: 'discussion' as const,
	groupSize: null,
	version
});

describe('comments', () => {
	it('ticket holders comment; the thread comes oldest first with names, announced and logged', async () => {
		const { event, attendees, proposals } = await refining();
		const [ana, ben] = attendees;
		const [proposal] = proposals;
		await db().update(schema.users).set({ name: 'Ben' }).where(eq(schema.users.id, ben.id));
		await addComment(ana, event.id, proposal.id, 'Who brings the **servers**?');
		await addComment(ben, event.id, proposal.id, '  I can bring two.  ');
		const thread = await listComments(event.id, proposal.id);
		expect(thread.map((c) => [c.body, c.kind])).toEqual([
			['Who brings the **servers**?', 'comment'],
			['I can bring two.', 'comment']
		]);
		expect(thread[1].author).toBe('Ben');
		expect(await announced(event.id, 'comment')).toEqual([
			{ data: { proposalId: proposal.id } },
			{ data: { proposalId: proposal.id } }
		]);
		expect(await logged(event.id, 'comment.added')).toHaveLength(2);
		// Another event's thread does not show this one.
		const other = await refining();
		expect(await listComments(other.event.id, proposal.id)).toEqual([]);
	});

	it('refuses empty, overlong and HTML bodies with a message on the field', async () => {
		const { event, attendees, proposals } = await refining();
		const on = (body: string) =>
			domainError(() => addComment(attendees[1], event.id, proposals[0].id, body));
		expect((await on('   ')).fields.body).toBe(m.error_required());
		expect((await on('x'.repeat(2001))).fields.body).toBe(m.error_too_long({ max: 2000 }));
		expect((await on('<script>alert(1)</script>')).fields.body).toBe(m.error_unsafe_markup());
		expect(await listComments(event.id, proposals[0].id)).toEqual([]);
	});

	it('needs a ticket or the marketplace role of this event, an open proposal and an open phase', async () => {
		const { event, organiser, round, attendees, proposals } = await refining({ proposals: 2 });
		const other = await refining();
		const [a, b] = proposals;
		const noTicket = actorOf(await makeUser());
		const elsewhere = actorOf(await makeUser());
		await grantRole(other.event.id, elsewhere.id, 'facilitator');
		const facilitator = actorOf(await makeUser());
		await grantRole(event.id, facilitator.id, 'facilitator');

		expect((await domainError(() => addComment(null, event.id, a.id, 'Hi'))).kind).toBe(
			'unauthenticated'
		);
		expect((await domainError(() => addComment(noTicket, event.id, a.id, 'Hi'))).fields._form).toBe(
			'Only people with a ticket for this event can take part.'
		);
		expect(
			(await domainError(() => addComment(elsewhere, event.id, a.id, 'Hi'))).fields._form
		).toBe(m.error_needs_ticket());
		const suggest = { title: 'Better', note: '' };
		expect(
			(await domainError(() => suggestChange(elsewhere, event.id, a.id, suggest))).fields._form
		).toBe(m.error_needs_ticket());
		// The facilitators of this event take part without a ticket.
		await addComment(facilitator, event.id, a.id, 'Room 2 has a projector.');
		// A proposal of another event is not found here, even to a ticket holder of both.
		expect(
			(await domainError(() => addComment(attendees[1], event.id, other.proposals[0].id, 'Hi')))
				.kind
		).toBe('not_found');

		// Comments go on while voting; suggestions stop; after voting, both stop.
		await setPhase(organiser, event.id, round.id, 'voting');
		await addComment(attendees[1], event.id, a.id, 'Voting for this.');
		expect(
			(await domainError(() => suggestChange(attendees[1], event.id, a.id, suggest))).fields._form
		).toBe(m.error_phase_closed());
		await setPhase(organiser, event.id, round.id, 'closed');
		expect(
			(await domainError(() => addComment(attendees[1], event.id, a.id, 'Late'))).fields._form
		).toBe(m.error_phase_closed());

		// A merged-away proposal takes no comments.
		await setPhase(organiser, event.id, round.id, 'refining');
		await mergeProposals(organiser, event.id, b.id, a.id, 'http://t');
		const merged = await domainError(() => addComment(attendees[1], event.id, b.id, 'Hi'));
		expect(merged.fields._form).toMatch(/merged/);
		expect(await listComments(event.id, b.id)).toEqual([]);
	});
});

describe('suggested changes', () => {
	it('keeps only the fields the person changed, from the version they saw', async () => {
		const { event, attendees, proposals } = await refining();
		const [ana, ben] = attendees;
		const [proposal] = proposals;
		// Ben opens the form at version 1; meanwhile Ana retitles the proposal.
		await editProposal(ana, event.id, proposal.id, edit('Servers we share', 1));
		const suggestion = await suggestChange(ben, event.id, proposal.id, {
			title: proposal.title,
			question: 'Who runs the servers, and who pays?',
			description: '',
			note: 'Sharpen the question.',
			version: 1
		});
		// The title Ben left as he saw it is not a suggestion to undo Ana's change.
		expect(suggestion.suggested).toEqual({ question: 'Who runs the servers, and who pays?' });
		expect(suggestion.kind).toBe('suggestion');
		expect(suggestion.status).toBe('open');
		expect(await logged(event.id, 'suggestion.made')).toHaveLength(1);

		const nothing = await domainError(() =>
			suggestChange(ben, event.id, proposal.id, {
				title: 'Servers we share',
				question: proposal.question,
				note: 'Looks good'
			})
		);
		expect(nothing.fields._form).toBe(m.mkr_error_no_change());
		const bad = await domainError(() =>
			suggestChange(ben, event.id, proposal.id, {
				title: '',
				description: '<b onclick=x>',
				note: ''
			})
		);
		expect(Object.keys(bad.fields).sort()).toEqual(['description', 'title']);
	});

	it('a convener takes a suggestion as a new version under their name; it is decided once', async () => {
		const { event, attendees, proposals } = await refining();
		const [ana, ben, cas] = attendees;
		const [proposal] = proposals;
		await db().update(schema.users).set({ name: 'Ana' }).where(eq(schema.users.id, ana.id));
		const s = await suggestChange(ben, event.id, proposal.id, {
			title: 'Community servers',
			description: 'Bring your **racks**.',
			note: ''
		});
		// Only conveners (or the people running the marketplace) decide.
		expect((await domainError(() => takeSuggestion(cas, event.id, s.id, 1))).fields._form).toMatch(
			/conveners/
		);
		expect((await domainError(() => leaveSuggestion(ben, event.id, s.id))).fields._form).toBe(
			m.mkr_error_not_convener()
		);

		const saved = await takeSuggestion(ana, event.id, s.id, 1);
		expect(saved).toMatchObject({
			version: 2,
			title: 'Community servers',
			question: 'How do we share servers?',
			description: 'Bring your **racks**.',
			format: 'discussion'
		});
		const [latest] = await proposalHistory(event.id, proposal.id);
		expect(latest).toMatchObject({ version: 2, editor: 'Ana' });
		expect((await listComments(event.id, proposal.id))[0].status).toBe('taken');
		expect(await logged(event.id, 'suggestion.taken')).toHaveLength(1);
		expect(await logged(event.id, 'proposal.edited')).toHaveLength(1);
		// The message carries the proposal's new card, so screens change it in place.
		expect(await announced(event.id, 'proposal')).toContainEqual({
			data: {
				roundId: proposal.roundId,
				proposalId: proposal.id,
				card: expect.objectContaining({ id: proposal.id, title: 'Community servers' })
			}
		});

		const again = await domainError(() => takeSuggestion(ana, event.id, s.id, 2));
		expect(again.fields._form).toMatch(/already/);
		expect((await domainError(() => leaveSuggestion(ana, event.id, s.id))).fields._form).toBe(
			m.mkr_error_suggestion_decided()
		);
		expect((await proposalHistory(event.id, proposal.id)).length).toBe(2);
	});

	it('a stale base version is refused with the current text, and the suggestion stays open', async () => {
		const { event, attendees, proposals } = await refining();
		const [ana, ben] = attendees;
		const [proposal] = proposals;
		const s = await suggestChange(ben, event.id, proposal.id, { title: 'Servers', note: '' });
		await editProposal(ana, event.id, proposal.id, edit('Shared servers', 1));
		const stale = await domainError(() => takeSuggestion(ana, event.id, s.id, 1));
		expect(stale).toBeInstanceOf(StaleEdit);
		expect((stale as StaleEdit).current).toMatchObject({ version: 2, title: 'Shared servers' });
		expect((await listComments(event.id, proposal.id))[0].status).toBe('open');
		// Seen against the current text, a facilitator (not a convener) may take it.
		const facilitator = actorOf(await makeUser());
		await grantRole(event.id, facilitator.id, 'facilitator');
		const elsewhere = actorOf(await makeUser());
		await grantRole((await refining()).event.id, elsewhere.id, 'facilitator');
		expect(
			(await domainError(() => takeSuggestion(elsewhere, event.id, s.id, 2))).fields._form
		).toBe(m.mkr_error_not_convener());
		expect((await takeSuggestion(facilitator, event.id, s.id, 2)).title).toBe('Servers');
	});

	it('leaving marks it left; ids from another event are not found; merged proposals are closed', async () => {
		const { event, organiser, attendees, proposals } = await refining({ proposals: 2 });
		const other = await refining();
		const [ana, ben] = attendees;
		const [a, b] = proposals;
		const s = await suggestChange(ben, event.id, a.id, { title: 'Servers', note: 'Shorter' });
		const foreign = await suggestChange(other.attendees[1], other.event.id, other.proposals[0].id, {
			title: 'Elsewhere',
			note: ''
		});
		expect((await domainError(() => takeSuggestion(ana, event.id, foreign.id, 1))).kind).toBe(
			'not_found'
		);
		expect((await domainError(() => leaveSuggestion(organiser, event.id, foreign.id))).kind).toBe(
			'not_found'
		);
		// A plain comment is not a suggestion to take.
		const plain = await addComment(ben, event.id, a.id, 'Nice');
		expect((await domainError(() => takeSuggestion(ana, event.id, plain.id, 1))).kind).toBe(
			'not_found'
		);

		await leaveSuggestion(ana, event.id, s.id);
		const thread = await listComments(event.id, a.id);
		expect(thread.find((c) => c.id === s.id)?.status).toBe('left');
		expect((await domainError(() => takeSuggestion(ana, event.id, s.id, 1))).fields._form).toBe(
			m.mkr_error_suggestion_decided()
		);
		expect(await logged(event.id, 'suggestion.left')).toHaveLength(1);

		const onB = await suggestChange(ben, event.id, b.id, { title: 'Merged away', note: '' });
		await mergeProposals(organiser, event.id, b.id, a.id, 'http://t');
		expect(
			(await domainError(() => takeSuggestion(ana, event.id, onB.id, 1))).fields._form
		).toMatch(/merged/);
	});

	it.runIf(onPostgres())(
		'ten conveners deciding one suggestion at once: it is taken or left once',
		async () => {
			const { event, attendees, proposals } = await refining({ attendees: 10 });
			const [proposal] = proposals;
			for (const a of attendees.slice(1)) await joinAsConvener(a, event.id, proposal.id);
			const s = await suggestChange(attendees[1], event.id, proposal.id, {
				description: 'Bring a laptop.',
				note: ''
			});
			const results = await Promise.allSettled(
				attendees.map((a) => takeSuggestion(a, event.id, s.id, 1))
			);
			for (const r of results) {
				if (r.status === 'rejected' && !isDomainError(r.reason)) throw r.reason;
			}
			expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
			expect((await proposalHistory(event.id, proposal.id)).map((h) => h.version)).toEqual([2, 1]);
			expect(await logged(event.id, 'suggestion.taken')).toHaveLength(1);

			// Taking and leaving at once: one decision wins, and the text matches it. (Leaving has no
			// version check, so only the guarded status UPDATE keeps this to one.)
			const next = await suggestChange(attendees[1], event.id, proposal.id, {
				title: 'Servers',
				note: ''
			});
			const decisions = await Promise.allSettled(
				attendees.map((a, n) =>
					n % 2 ? takeSuggestion(a, event.id, next.id, 2) : leaveSuggestion(a, event.id, next.id)
				)
			);
			for (const r of decisions) {
				if (r.status === 'rejected' && !isDomainError(r.reason)) throw r.reason;
			}
			expect(decisions.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
			const status = (await listComments(event.id, proposal.id)).at(-1)?.status;
			const [latest] = await proposalHistory(event.id, proposal.id);
			expect(latest.version).toBe(status === 'taken' ? 3 : 2);
		}
	);
});

describe('conveners', () => {
	it("joining as a convener is in the event's activity once, however often it is pressed", async () => {
		const { event, attendees, proposals } = await refining();
		const [proposal] = proposals;
		await joinAsConvener(attendees[1], event.id, proposal.id);
		await joinAsConvener(attendees[1], event.id, proposal.id);
		const log = await logged(event.id, 'proposal.convener_joined');
		expect(log.map((x) => [x.actorId, x.data])).toEqual([
			[attendees[1].id, { proposalId: proposal.id }]
		]);
	});
});
