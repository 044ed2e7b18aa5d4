import { eq, like } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { m } from '$lib/paraglide/messages';
import { useTestDb } from '../../../../tests/fixtures/db';
import { domainError } from '../../../../tests/fixtures/domain-error';
import {
	actorOf,
	daysOf,
	grantRole,
	makeTalk,
	makeTalkEvent,
	makeTicketType,
	makeUser,
	orderInput
} from '../../../../tests/fixtures/factories';
import { instantToZoned } from '$lib/time';
import { db, schema } from '../db';
import { startOrder } from '../tickets/orders';
import {
	moveTalk,
	placeTalk,
	publicProgramme,
	remindTicketless,
	reorderBlock,
	runningOrder,
	slotTimes
} from './running-order';
import { addBlock } from '../events/schedule';
import { decideTalk } from './review';
import { saveCall, withdrawTalk } from './talks';
import { callInput } from '../../../../tests/fixtures/factories';

useTestDb();

async function acceptedTalks(
	event: { id: number },
	organiser: NonNullable<Parameters<typeof decideTalk>[0]>,
	titles: string[]
) {
	const made = [];
	for (const title of titles) {
		const made1 = await makeTalk(event.id, { title, presenters: `${title} people` });
		await decideTalk(organiser, event.id, made1.talk.id, 'accepted');
		made.push(made1);
	}
	return made;
}

const localTimes = (slots: { startsAt: Date }[], tz: string) =>
	slots.map((s) => instantToZoned(s.startsAt, tz).time);

describe('running order', () => {
	it('slots follow the block start and the talk length', async () => {
		const { event, organiser, block } = await makeTalkEvent();
		const talks = await acceptedTalks(event, organiser, ['One', 'Two', 'Three']);
		for (const { talk } of talks) await placeTalk(organiser, event.id, talk.id, block.id);
		const order = await runningOrder(organiser, event.id);
		const placed = order.blocks[0].talks;
		expect(placed.map((p) => p.talk.title)).toEqual(['One', 'Two', 'Three']);
		expect(localTimes(placed, event.timeZone)).toEqual(['09:30', '09:35', '09:40']);
		expect(placed[2].endsAt.getTime() - placed[2].startsAt.getTime()).toBe(5 * 60_000);

		await moveTalk(organiser, event.id, talks[2].talk.id, 'up');
		await moveTalk(organiser, event.id, talks[0].talk.id, 'up'); // already first: no change
		const moved = (await runningOrder(organiser, event.id)).blocks[0].talks;
		expect(moved.map((p) => p.talk.title)).toEqual(['One', 'Three', 'Two']);
		expect(localTimes(moved, event.timeZone)).toEqual(['09:30', '09:35', '09:40']);

		await reorderBlock(organiser, event.id, block.id, [
			talks[1].talk.id,
			talks[2].talk.id,
			talks[0].talk.id
		]);
		const reordered = await publicProgramme(event.id);
		expect(reordered[0].talks.map((t) => t.title)).toEqual(['Two', 'Three', 'One']);
		// A stale list (a talk missing) is refused rather than half-applied.
		const stale = await domainError(() =>
			reorderBlock(organiser, event.id, block.id, [talks[1].talk.id, talks[2].talk.id])
		);
		expect(stale.fields._form).toMatch(/changed/);
	});

	it('runs on real time across a daylight-saving change in the event time zone', async () => {
		// Spain moves its clocks from 02:00 to 03:00 on 28 March 2027.
		const { event, organiser } = await makeTalkEvent({
			timeZone: 'Europe/Madrid',
			startDate: '2027-03-27',
			endDate: '2027-03-28'
		});
		await saveCall(organiser, event.id, callInput(event.timeZone, { talkMinutes: 10 }));
		const [, sunday] = await daysOf(event.id);
		const night = await addBlock(organiser, event.id, {
			dayId: sunday.id,
			kind: 'lightning_talks',
			title: 'Night talks',
			start: '01:30',
			end: '03:30',
			roomId: null
		});
		// 01:30 CET to 03:30 CEST is one real hour: six ten-minute talks.
		expect(night.endsAt.getTime() - night.startsAt.getTime()).toBe(60 * 60_000);
		const talks = await acceptedTalks(event, organiser, ['a', 'b', 'c', 'd', 'e', 'f', 'g']);
		for (const { talk } of talks) await placeTalk(organiser, event.id, talk.id, night.id);
		const block = (await runningOrder(organiser, event.id)).blocks.find(
			(b) => b.block.id === night.id
		)!;
		expect(localTimes(block.talks, 'Europe/Madrid')).toEqual([
			'01:30',
			'01:40',
			'01:50',
			'03:00',
			'03:10',
			'03:20',
			'03:30'
		]);
		expect(block.talks.map((t) => t.overrun)).toEqual([
			false,
			false,
			false,
			false,
			false,
			false,
			true
		]);
		expect(slotTimes(night.startsAt, 10, 1)[0].startsAt).toEqual(night.startsAt);
	});

	it('places only accepted talks, only in this event’s lightning-talk blocks', async () => {
		const { event, organiser, block, day } = await makeTalkEvent();
		const other = await makeTalkEvent();
		const [{ talk }] = await acceptedTalks(event, organiser, ['Placed']);
		const pending = await makeTalk(event.id, { title: 'Pending' });
		const plenary = await addBlock(organiser, event.id, {
			dayId: day.id,
			kind: 'plenary',
			title: 'Opening circle',
			start: '09:00',
			end: '09:30',
			roomId: null
		});
		for (const blockId of [plenary.id, other.block.id]) {
			const e = await domainError(() => placeTalk(organiser, event.id, talk.id, blockId));
			expect(e.fields.blockId).toBe(m.error_not_lightning_block());
		}
		await expect(placeTalk(organiser, event.id, pending.talk.id, block.id)).rejects.toThrow(
			/Invalid/
		);
		const foreign = await makeTalk(other.event.id);
		expect(
			(await domainError(() => placeTalk(organiser, event.id, foreign.talk.id, block.id))).kind
		).toBe('not_found');
		const reviewer = actorOf(await makeUser());
		await grantRole(event.id, reviewer.id, 'reviewer');
		expect((await domainError(() => placeTalk(reviewer, event.id, talk.id, block.id))).kind).toBe(
			'forbidden'
		);
		expect((await domainError(() => runningOrder(reviewer, event.id))).kind).toBe('forbidden');

		await placeTalk(organiser, event.id, talk.id, block.id);
		// Withdrawn or no longer accepted, a talk leaves the running order and the programme.
		const [{ talk: second, presenter }] = await acceptedTalks(event, organiser, ['Second']);
		await placeTalk(organiser, event.id, second.id, block.id);
		await withdrawTalk(presenter, event.id, second.id);
		await decideTalk(organiser, event.id, talk.id, 'reserve');
		expect(await publicProgramme(event.id)).toEqual([]);
	});

	it('flags presenters without a ticket and reminds them by e-mail', async () => {
		const { event, organiser, block } = await makeTalkEvent({ name: 'Ticket reminders' });
		const [withTicket, without] = await acceptedTalks(event, organiser, ['Has one', 'Has none']);
		for (const { talk } of [withTicket, without]) {
			await placeTalk(organiser, event.id, talk.id, block.id);
		}
		const type = await makeTicketType(organiser, event.id);
		const [holder] = await db()
			.select()
			.from(schema.users)
			.where(eq(schema.users.id, withTicket.presenter.id));
		await startOrder(
			withTicket.presenter,
			event.id,
			orderInput(type.id, { attendeeEmail: holder.email, attendeeName: holder.name }),
			'http://t'
		);
		const order = await runningOrder(organiser, event.id);
		expect(order.blocks[0].talks.map((t) => t.withoutTicket.length)).toEqual([0, 1]);
		expect(await remindTicketless(organiser, event.id, 'http://t')).toBe(1);
		const reminders = await db()
			.select()
			.from(schema.outbox)
			.where(like(schema.outbox.subject, 'You are presenting at Ticket reminders%'));
		expect(reminders).toHaveLength(1);
		expect(reminders[0].text).toContain('Has none');
	});

	it('publishes only what presenters chose to show', async () => {
		const { event, organiser, block } = await makeTalkEvent();
		const [{ talk }] = await acceptedTalks(event, organiser, ['Public']);
		await placeTalk(organiser, event.id, talk.id, block.id);
		const programme = await publicProgramme(event.id);
		expect(Object.keys(programme[0].talks[0]).sort()).toEqual(
			['endsAt', 'id', 'links', 'presenters', 'startsAt', 'summary', 'title'].sort()
		);
		expect(JSON.stringify(programme)).not.toMatch(/@example\.org/);
	});
});
