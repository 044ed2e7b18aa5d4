import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { m } from '$lib/paraglide/messages';
import { useTestDb } from '../../../../tests/fixtures/db';
import { domainError } from '../../../../tests/fixtures/domain-error';
import {
	actorOf,
	callInput,
	localFromNow,
	makeTalk,
	makeTalkEvent,
	makeTicketType,
	makeUser,
	orderInput,
	talkInput
} from '../../../../tests/fixtures/factories';
import { db, schema } from '../db';
import { startOrder } from '../tickets/orders';
import { decideTalk, promoteReserve } from './review';
import { confirmPresenter, invitePresenter, myTalksOverview, removePresenter } from './presenters';
import { listEventActivity } from '../core/activity';
import { placeTalk, slotOf } from './running-order';
import {
	callState,
	getCall,
	myTalks,
	saveCall,
	saveDraft,
	submitTalk,
	talkForPresenter,
	withdrawTalk
} from './talks';

useTestDb();

const statusOf = async (id: number) =>
	(await db().select().from(schema.talks).where(eq(schema.talks.id, id)))[0].status;

describe('the call for talks', () => {
	it('is open only between its dates, in the event time zone', async () => {
		const { event, organiser } = await makeTalkEvent({ timeZone: 'America/New_York' });
		expect(callState(await getCall(event.id))).toBe('open');
		await saveCall(
			organiser,
			event.id,
			callInput(event.timeZone, { opensAt: '2030-01-01T09:00', closesAt: '2030-02-01T17:00' })
		);
		const call = (await getCall(event.id))!;
		// 09:00 in New York in January is 14:00 UTC.
		expect(call.opensAt.toISOString()).toBe('2030-01-01T14:00:00.000Z');
		expect(callState(call)).toBe('not_yet');
		expect(callState(call, new Date('2030-02-01T21:59:00Z'))).toBe('open');
		expect(callState(call, new Date('2030-02-01T22:00:00Z'))).toBe('closed');
	});

	it('keeps a draft, then sends it; nothing is accepted while it is closed', async () => {
		const { event, organiser } = await makeTalkEvent({}, { questions: ['What do you need?'] });
		const me = actorOf(await makeUser());
		const draft = await saveDraft(
			me,
			event.id,
			null,
			{ ...talkInput(), title: 'Half a ti', summary: '', presenters: '' },
			['A projector']
		);
		expect(draft.status).toBe('draft');
		expect(draft.answers).toEqual(['A projector']);
		const again = await saveDraft(
			me,
			event.id,
			draft.id,
			{ ...talkInput(), title: 'Half a title' },
			['A projector']
		);
		expect(again.id).toBe(draft.id);
		const sent = await submitTalk(me, event.id, draft.id, talkInput(), ['A projector']);
		expect(sent.status).toBe('submitted');
		expect(sent.submittedAt).not.toBeNull();
		expect((await myTalks(me, event.id)).map((t) => t.id)).toEqual([draft.id]);

		await saveCall(
			organiser,
			event.id,
			callInput(event.timeZone, {
				opensAt: localFromNow(event.timeZone, -3),
				closesAt: localFromNow(event.timeZone, -1)
			})
		);
		const closed = await domainError(() => submitTalk(me, event.id, null, talkInput(), []));
		expect(closed.fields._form).toMatch(/closed/);
		expect((await talkForPresenter(me, event.id, draft.id)).editable).toBe(false);
		await expect(
			saveDraft(me, event.id, draft.id, { ...talkInput(), title: 'Late edit' }, [])
		).rejects.toThrow(/Invalid/);
	});

	it('says which field is wrong: the organiser’s summary limit and a day of another event', async () => {
		const { event } = await makeTalkEvent({}, { summaryMax: 100 });
		const other = await makeTalkEvent();
		const me = actorOf(await makeUser());
		const long = await domainError(() =>
			submitTalk(me, event.id, null, talkInput({ summary: 'x'.repeat(101) }), [])
		);
		expect(long.fields.summary).toMatch(/100/);
		const day = await domainError(() =>
			submitTalk(me, event.id, null, talkInput({ preferredDayId: other.day.id }), [])
		);
		expect(day.fields.preferredDayId).toBe(m.error_not_in_event());
	});

	it('asks for a ticket before a talk is sent when the organiser says so', async () => {
		const { event, organiser } = await makeTalkEvent({}, { ticketRule: 'submit' });
		const person = await makeUser({ email: 'ticketless@example.org' });
		const me = actorOf(person);
		const refused = await domainError(() => submitTalk(me, event.id, null, talkInput(), []));
		expect(refused.fields._form).toMatch(/ticket/);
		// A draft can still be kept while the ticket is bought.
		await saveDraft(me, event.id, null, talkInput(), []);
		const type = await makeTicketType(organiser, event.id);
		await startOrder(
			me,
			event.id,
			orderInput(type.id, { attendeeEmail: person.email, attendeeName: person.name }),
			'http://t'
		);
		expect((await submitTalk(me, event.id, null, talkInput(), [])).status).toBe('submitted');
	});
});

describe('the life of a talk', () => {
	it('goes draft → submitted → reserve → accepted (promoted) → withdrawn, and no other way', async () => {
		const { event, organiser } = await makeTalkEvent();
		const me = actorOf(await makeUser());
		const draft = await saveDraft(me, event.id, null, talkInput(), []);
		// A draft is the presenter's own: reviewers cannot decide on it.
		expect(
			(await domainError(() => decideTalk(organiser, event.id, draft.id, 'accepted'))).kind
		).toBe('not_found');
		await submitTalk(me, event.id, draft.id, talkInput(), []);
		await expect(promoteReserve(organiser, event.id, draft.id)).rejects.toThrow(/Invalid/);
		await decideTalk(organiser, event.id, draft.id, 'reserve');
		await promoteReserve(organiser, event.id, draft.id);
		expect(await statusOf(draft.id)).toBe('accepted');
		await withdrawTalk(me, event.id, draft.id);
		expect(await statusOf(draft.id)).toBe('withdrawn');
		await expect(decideTalk(organiser, event.id, draft.id, 'accepted')).rejects.toThrow(/Invalid/);
		await expect(submitTalk(me, event.id, draft.id, talkInput(), [])).rejects.toThrow(/Invalid/);
		// Withdrawing twice is harmless.
		await withdrawTalk(me, event.id, draft.id);
	});

	it('can be declined and reconsidered before the decisions go out', async () => {
		const { event, organiser } = await makeTalkEvent();
		const { talk } = await makeTalk(event.id);
		await decideTalk(organiser, event.id, talk.id, 'declined');
		await decideTalk(organiser, event.id, talk.id, 'submitted');
		await decideTalk(organiser, event.id, talk.id, 'accepted');
		expect(await statusOf(talk.id)).toBe('accepted');
	});

	it('is edited only by its presenters; a co-presenter joins by a one-time link', async () => {
		const { event } = await makeTalkEvent();
		const { presenter, talk } = await makeTalk(event.id);
		const stranger = actorOf(await makeUser());
		for (const run of [
			() => talkForPresenter(stranger, event.id, talk.id),
			() => submitTalk(stranger, event.id, talk.id, talkInput({ title: 'Mine now' }), []),
			() => withdrawTalk(stranger, event.id, talk.id),
			() => invitePresenter(stranger, event.id, talk.id, 'x@example.org', 'http://t')
		]) {
			expect((await domainError(run)).kind).toBe('not_found');
		}
		await invitePresenter(presenter, event.id, talk.id, 'co@example.org', 'http://t');
		const [mail] = await db()
			.select()
			.from(schema.outbox)
			.where(eq(schema.outbox.to, 'co@example.org'));
		const token = mail.text.match(/\/talks\/presenter\/([a-z0-9]+)/)![1];
		const co = actorOf(await makeUser({ email: 'co@example.org' }));
		await confirmPresenter(co, token);
		await expect(confirmPresenter(stranger, token)).rejects.toThrow(/Invalid/);
		const edited = await submitTalk(co, event.id, talk.id, talkInput({ title: 'Two of us' }), []);
		expect(edited.title).toBe('Two of us');
		expect((await myTalks(co, event.id)).map((t) => t.id)).toEqual([talk.id]);
		expect(await myTalks(stranger, event.id)).toEqual([]);
	});

	it('"my talks" is read once and says what each talk\'s own page says', async () => {
		const { event, organiser, block } = await makeTalkEvent();
		const me = actorOf(await makeUser());
		const draft = await saveDraft(me, event.id, null, { ...talkInput(), title: 'Unsent' }, []);
		const placed = await submitTalk(me, event.id, null, talkInput({ title: 'Placed' }), []);
		const waiting = await submitTalk(me, event.id, null, talkInput({ title: 'Accepted' }), []);
		for (const talk of [placed, waiting]) {
			await decideTalk(organiser, event.id, talk.id, 'accepted');
		}
		await placeTalk(organiser, event.id, placed.id, block.id);
		await invitePresenter(me, event.id, placed.id, 'co@example.org', 'http://t');
		// Someone else's talk in the same event is not among mine.
		await makeTalk(event.id);

		const overview = await myTalksOverview(me, event.id);
		expect(overview.map((t) => t.title)).toEqual(['Accepted', 'Placed', 'Unsent']);
		for (const talk of overview) {
			const one = await talkForPresenter(me, event.id, talk.id);
			expect(talk.editable).toBe(one.editable);
			expect(talk.presenters).toEqual(
				one.presenters.map(({ id, email, confirmed }) => ({ id, email, confirmed }))
			);
			const slot = await slotOf(event.id, talk.id);
			expect(talk.slot).toEqual(slot && { startsAt: slot.startsAt, endsAt: slot.endsAt });
		}
		const [, withSlot] = overview;
		expect(withSlot.slot).not.toBeNull();
		expect(withSlot.presenters).toEqual([
			{ id: expect.any(Number), email: 'co@example.org', confirmed: false }
		]);
		expect(overview[2].id).toBe(draft.id);
		expect(await myTalksOverview(actorOf(await makeUser()), event.id)).toEqual([]);
	});

	it("removing a co-presenter takes them off the talk and is in the event's activity", async () => {
		const { event, organiser } = await makeTalkEvent();
		const { presenter, talk } = await makeTalk(event.id);
		await invitePresenter(presenter, event.id, talk.id, 'co@example.org', 'http://t');
		const [invited] = (await talkForPresenter(presenter, event.id, talk.id)).presenters;
		const stranger = actorOf(await makeUser());
		expect(
			(await domainError(() => removePresenter(stranger, event.id, talk.id, invited.id))).kind
		).toBe('not_found');
		await removePresenter(presenter, event.id, talk.id, invited.id);
		expect((await talkForPresenter(presenter, event.id, talk.id)).presenters).toEqual([]);
		const log = await listEventActivity(organiser, event.id);
		expect(log.filter((x) => x.action === 'talk.presenter_removed').map((x) => x.data)).toEqual([
			{ talkId: talk.id }
		]);
	});

	it('refuses a talk id from another event', async () => {
		const a = await makeTalkEvent();
		const b = await makeTalkEvent();
		const { presenter, talk } = await makeTalk(b.event.id);
		expect((await domainError(() => talkForPresenter(presenter, a.event.id, talk.id))).kind).toBe(
			'not_found'
		);
		expect(
			(await domainError(() => decideTalk(a.organiser, a.event.id, talk.id, 'accepted'))).kind
		).toBe('not_found');
	});
});
