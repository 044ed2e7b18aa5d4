import { and, eq, like } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { onPostgres, useTestDb } from '../../../../tests/fixtures/db';
import { domainError } from '../../../../tests/fixtures/domain-error';
import {
	actorOf,
	grantRole,
	makeTalk,
	makeTalkEvent,
	makeUser
} from '../../../../tests/fixtures/factories';
import { db, schema } from '../db';
import {
	decideTalk,
	decideTalks,
	listSubmissions,
	pendingDecisionCount,
	reviewTalk,
	sendDecisions,
	submissionForReview
} from './review';
import { invitePresenter, confirmPresenter } from './presenters';
import { saveDraft, talkForPresenter } from './talks';
import { listEventActivity } from '../core/activity';
import { talkInput } from '../../../../tests/fixtures/factories';

useTestDb({ poolSize: 8 });

const decisionMails = (event: { name: string }) =>
	db()
		.select()
		.from(schema.outbox)
		.where(like(schema.outbox.subject, `Your lightning talk for ${event.name}:%`));

describe('review', () => {
	it('reviewers score and note privately; the list filters by status and day', async () => {
		const { event, organiser, day } = await makeTalkEvent();
		const reviewer = actorOf(await makeUser({ name: 'Rita Reviewer' }));
		await grantRole(event.id, reviewer.id, 'reviewer');
		const { presenter, talk } = await makeTalk(event.id, { preferredDayId: day.id });
		const second = await makeTalk(event.id, { title: 'Mesh networks' });
		await saveDraft(presenter, event.id, null, talkInput({ title: 'Not sent' }), []);

		await reviewTalk(reviewer, event.id, talk.id, { score: 4, note: 'Strong, local.' });
		await reviewTalk(organiser, event.id, talk.id, { score: 2, note: '' });
		await reviewTalk(reviewer, event.id, talk.id, { score: 5, note: 'Even better on reread.' });
		// The organisers' activity says who reviewed which talk, never the score or the note.
		const reviewed = (await listEventActivity(organiser, event.id)).filter(
			(x) => x.action === 'talk.reviewed'
		);
		expect(reviewed.map((x) => x.data)).toEqual(Array(3).fill({ talkId: talk.id }));

		const all = await listSubmissions(reviewer, event.id, { status: null, dayId: null });
		expect(all.map((r) => r.talk.title)).toEqual(['A cooperative for data', 'Mesh networks']);
		expect(all[0]).toMatchObject({ averageScore: 3.5, reviews: 2, myScore: 5 });
		const onDay = await listSubmissions(reviewer, event.id, { status: null, dayId: day.id });
		expect(onDay.map((r) => r.talk.id)).toEqual([talk.id]);
		await decideTalk(reviewer, event.id, second.talk.id, 'reserve');
		const reserve = await listSubmissions(organiser, event.id, { status: 'reserve', dayId: null });
		expect(reserve.map((r) => r.talk.id)).toEqual([second.talk.id]);

		const detail = await submissionForReview(organiser, event.id, talk.id);
		expect(detail.reviews.map((r) => r.note)).toContain('Even better on reread.');
		// The presenter's own view carries no reviews at all.
		expect(JSON.stringify(await talkForPresenter(presenter, event.id, talk.id))).not.toMatch(
			/reread/
		);
	});

	it('only organisers and reviewers review; only organisers send decisions', async () => {
		const { event, organiser } = await makeTalkEvent();
		const { presenter, talk } = await makeTalk(event.id);
		const reviewer = actorOf(await makeUser());
		const facilitator = actorOf(await makeUser());
		await grantRole(event.id, reviewer.id, 'reviewer');
		await grantRole(event.id, facilitator.id, 'facilitator');
		const elsewhere = await makeTalkEvent();
		for (const who of [presenter, facilitator, elsewhere.organiser]) {
			expect(
				(await domainError(() => listSubmissions(who, event.id, { status: null, dayId: null })))
					.kind
			).toBe('forbidden');
			expect((await domainError(() => submissionForReview(who, event.id, talk.id))).kind).toBe(
				'forbidden'
			);
			expect(
				(await domainError(() => reviewTalk(who, event.id, talk.id, { score: 1, note: '' }))).kind
			).toBe('forbidden');
			expect((await domainError(() => decideTalk(who, event.id, talk.id, 'declined'))).kind).toBe(
				'forbidden'
			);
		}
		expect((await domainError(() => decideTalk(null, event.id, talk.id, 'declined'))).kind).toBe(
			'unauthenticated'
		);
		await decideTalk(reviewer, event.id, talk.id, 'accepted');
		expect((await domainError(() => sendDecisions(reviewer, event.id, 'http://t'))).kind).toBe(
			'forbidden'
		);
		expect(await sendDecisions(organiser, event.id, 'http://t')).toBe(1);
	});
});

describe('decision e-mails', () => {
	it('go out only when sent, once per decision, to every presenter', async () => {
		const { event, organiser } = await makeTalkEvent({ name: 'Decisions once' });
		const a = await makeTalk(event.id, { title: 'Accepted one' });
		const b = await makeTalk(event.id, { title: 'Declined one' });
		const c = await makeTalk(event.id, { title: 'Undecided one' });
		await invitePresenter(a.presenter, event.id, a.talk.id, 'co@example.org', 'http://t');
		const [invite] = await db()
			.select()
			.from(schema.outbox)
			.where(eq(schema.outbox.to, 'co@example.org'));
		await confirmPresenter(
			actorOf(await makeUser({ email: 'co@example.org' })),
			invite.text.match(/presenter\/([a-z0-9]+)/)![1]
		);

		await decideTalk(organiser, event.id, a.talk.id, 'accepted');
		await decideTalk(organiser, event.id, b.talk.id, 'declined');
		expect(await decisionMails(event)).toHaveLength(0);
		expect(await pendingDecisionCount(organiser, event.id)).toBe(2);

		expect(await sendDecisions(organiser, event.id, 'http://t')).toBe(2);
		const mails = await decisionMails(event);
		expect(mails.map((m) => m.to).sort()).toEqual(
			['co@example.org', ...(await emailsOf([a.presenter.id, b.presenter.id]))].sort()
		);
		const accepted = mails.find((m) => m.subject.includes('Accepted one'))!;
		expect(accepted.text).toBe(
			`Dear Ada Presenter, "Accepted one" is accepted for ${event.name}. http://t/e/${event.slug}/talks/mine`
		);
		expect(mails.some((m) => m.subject.includes(c.talk.title))).toBe(false);

		// Sending again sends nothing; a changed decision is sent once more.
		expect(await sendDecisions(organiser, event.id, 'http://t')).toBe(0);
		expect(await decisionMails(event)).toHaveLength(3);
		await decideTalk(organiser, event.id, b.talk.id, 'reserve');
		expect(await pendingDecisionCount(organiser, event.id)).toBe(1);
		expect(await sendDecisions(organiser, event.id, 'http://t')).toBe(1);
		expect(await decisionMails(event)).toHaveLength(4);
	});

	it('are sent once when two organisers press "send" at the same moment', async () => {
		const { event, organiser } = await makeTalkEvent({ name: 'Decisions at once' });
		const second = actorOf(await makeUser());
		await grantRole(event.id, second.id, 'organiser');
		for (let i = 0; i < 10; i++) {
			const { talk } = await makeTalk(event.id, { title: `Talk ${i}` });
			await decideTalk(organiser, event.id, talk.id, i % 2 ? 'accepted' : 'declined');
		}
		const rounds = onPostgres() ? 5 : 1;
		const sent = await Promise.all(
			Array.from({ length: rounds * 2 }, (_, i) =>
				sendDecisions(i % 2 ? organiser : second, event.id, 'http://t')
			)
		);
		expect(sent.reduce((x, y) => x + y, 0)).toBe(10);
		expect(await decisionMails(event)).toHaveLength(10);
	});
});

async function emailsOf(ids: number[]) {
	const rows = await Promise.all(
		ids.map((id) =>
			db()
				.select({ email: schema.users.email })
				.from(schema.users)
				.where(and(eq(schema.users.id, id)))
		)
	);
	return rows.map(([r]) => r.email);
}

describe('deciding many talks at once', () => {
	it('decides every ticked talk in one step; presenters hear only when decisions are sent', async () => {
		const { event, organiser } = await makeTalkEvent({ name: 'Bulk decisions' });
		const made = [];
		for (const title of ['One', 'Two', 'Three', 'Four'])
			made.push(await makeTalk(event.id, { title }));
		const ids = made.map((x) => x.talk.id);
		const saved = await decideTalks(organiser, event.id, ids.slice(0, 3), 'accepted');
		expect(saved.map((x) => [x.id, x.status])).toEqual(
			ids.slice(0, 3).map((id) => [id, 'accepted'])
		);
		await decideTalks(organiser, event.id, [ids[2], ids[3]], 'reserve');
		const status = Object.fromEntries(
			(await listSubmissions(organiser, event.id, { status: null, dayId: null })).map((x) => [
				x.talk.id,
				x.talk.status
			])
		);
		expect(ids.map((id) => status[id])).toEqual(['accepted', 'accepted', 'reserve', 'reserve']);
		expect(await decisionMails(event)).toHaveLength(0);
		expect(await pendingDecisionCount(organiser, event.id)).toBe(4);
		expect(await sendDecisions(organiser, event.id, 'http://t')).toBe(4);
		const log = await listEventActivity(organiser, event.id);
		expect(log.filter((x) => x.action === 'talk.decided')).toHaveLength(5);
	});

	it('refuses the whole batch for a talk of another event, one not sent in, or nothing ticked', async () => {
		const { event, organiser } = await makeTalkEvent();
		const other = await makeTalkEvent();
		const mine = await makeTalk(event.id, { title: 'Mine' });
		const theirs = await makeTalk(other.event.id, { title: 'Theirs' });
		expect(
			(
				await domainError(() =>
					decideTalks(organiser, event.id, [mine.talk.id, theirs.talk.id], 'declined')
				)
			).kind
		).toBe('not_found');
		const draft = await saveDraft(
			mine.presenter,
			event.id,
			null,
			talkInput({ title: 'Draft' }),
			[]
		);
		expect(
			(
				await domainError(() =>
					decideTalks(organiser, event.id, [mine.talk.id, draft.id], 'declined')
				)
			).kind
		).toBe('not_found');
		await decideTalk(organiser, event.id, mine.talk.id, 'accepted');
		const { withdrawTalk } = await import('./talks');
		const gone = await makeTalk(event.id, { title: 'Gone' });
		await withdrawTalk(gone.presenter, event.id, gone.talk.id);
		expect(
			(
				await domainError(() =>
					decideTalks(organiser, event.id, [mine.talk.id, gone.talk.id], 'declined')
				)
			).kind
		).toBe('invalid');
		// Nothing moved.
		const [row] = await db().select().from(schema.talks).where(eq(schema.talks.id, mine.talk.id));
		expect(row.status).toBe('accepted');
		expect(
			(await domainError(() => decideTalks(organiser, event.id, [], 'declined'))).fields.talkId
		).toBe('Tick at least one talk.');
		const stranger = actorOf(await makeUser());
		expect(
			(await domainError(() => decideTalks(stranger, event.id, [mine.talk.id], 'declined'))).kind
		).toBe('forbidden');
	});

	it('two reviewers deciding overlapping batches at once both finish', async () => {
		const { event, organiser } = await makeTalkEvent();
		const reviewer = actorOf(await makeUser());
		await grantRole(event.id, reviewer.id, 'reviewer');
		const made = [];
		for (let i = 0; i < 6; i++) made.push(await makeTalk(event.id, { title: `T${i}` }));
		const ids = made.map((x) => x.talk.id);
		await Promise.all([
			decideTalks(organiser, event.id, ids.slice(0, 4), 'accepted'),
			decideTalks(reviewer, event.id, [...ids.slice(2)].reverse(), 'declined')
		]);
		const rows = await db().select().from(schema.talks).where(eq(schema.talks.eventId, event.id));
		expect(rows.every((x) => x.status === 'accepted' || x.status === 'declined')).toBe(true);
	});
});
