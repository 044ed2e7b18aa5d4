import { eq, sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { useTestDb } from '../../../../tests/fixtures/db';
import { domainError } from '../../../../tests/fixtures/domain-error';
import {
	actorOf,
	grantRole,
	makeTalk,
	makeTalkEvent,
	makeUser
} from '../../../../tests/fixtures/factories';
import { isOn, type StageView } from '$lib/live/topics';
import { db, schema } from '../db';
import { live } from '../live/hub';
import { decideTalk } from './review';
import { placeTalk, publicProgramme } from './running-order';
import { controlStage, stageView } from './stage';

useTestDb();

/** An event whose lightning-talk block holds `count` talks, and `hosts` people who run the stage. */
async function stageWith(count: number, hosts: number) {
	const { event, organiser, block } = await makeTalkEvent();
	const talks = [];
	for (let i = 1; i <= count; i++) {
		const made = await makeTalk(event.id, { title: `Talk ${i}` });
		await decideTalk(organiser, event.id, made.talk.id, 'accepted');
		await placeTalk(organiser, event.id, made.talk.id, block.id);
		talks.push(made);
	}
	const team = [organiser];
	while (team.length < hosts) {
		const facilitator = actorOf(await makeUser());
		await grantRole(event.id, facilitator.id, 'facilitator');
		team.push(facilitator);
	}
	return { event, hosts: team, talks };
}

/** A screen following the event: every stage message the hub hands out, in arrival order. */
async function screen(eventId: number) {
	const views: StageView[] = [];
	const stop = await live().subscribe(eventId, (m) => {
		if (isOn(m, 'stage')) views.push(m.data);
	});
	return { views, stop };
}

async function committedTalk(eventId: number) {
	const [row] = await db().select().from(schema.stage).where(eq(schema.stage.eventId, eventId));
	return row.talkId;
}

/**
 * The first stage message written from now on takes a moment longer (a slow database), so
 * announcements that are not ordered by the row lock come out in the wrong order.
 */
async function slowFirstAnnouncement() {
	await db().execute(sql`create sequence stage_announcements`);
	await db().execute(sql`
		create function slow_first_stage() returns trigger language plpgsql as $$
		begin
			if new.topic = 'stage' and nextval('stage_announcements') = 1 then
				perform pg_sleep(0.3);
			end if;
			return new;
		end $$`);
	await db().execute(sql`
		create trigger slow_first_stage before insert on live_events
		for each row execute function slow_first_stage()`);
	return async () => {
		await db().execute(sql`drop trigger slow_first_stage on live_events`);
		await db().execute(sql`drop function slow_first_stage`);
		await db().execute(sql`drop sequence stage_announcements`);
	};
}

describe('stage', () => {
	it('steps through the running order with a clock that starts, pauses and resets', async () => {
		const { event, hosts, talks } = await stageWith(2, 2);
		const [organiser, facilitator] = hosts;
		const t0 = new Date('2027-06-24T08:30:00Z');
		const at = (s: number) => new Date(t0.getTime() + s * 1000);

		expect((await stageView(event.id, t0)).current).toBeNull();
		let view = await controlStage(facilitator, event.id, 'toggle', t0);
		expect(view).toMatchObject({ running: true, position: 1, total: 2, remainingMs: 300_000 });
		expect(view.current?.title).toBe('Talk 1');
		expect(view.next?.title).toBe('Talk 2');
		expect((await stageView(event.id, at(60))).remainingMs).toBe(240_000);
		await controlStage(facilitator, event.id, 'toggle', at(60)); // pause
		expect((await stageView(event.id, at(600))).remainingMs).toBe(240_000);
		await controlStage(facilitator, event.id, 'toggle', at(600)); // run again
		expect((await stageView(event.id, at(900))).remainingMs).toBe(-60_000);

		view = await controlStage(organiser, event.id, 'next', at(901));
		expect(view).toMatchObject({ running: false, position: 2, remainingMs: 300_000, next: null });
		view = await controlStage(organiser, event.id, 'back', at(902));
		expect(view.current?.title).toBe('Talk 1');

		const presenter = talks[0].presenter;
		expect((await domainError(() => controlStage(presenter, event.id, 'next'))).kind).toBe(
			'forbidden'
		);
	});

	it('hosts pressing "next" at once: every screen ends on the talk the stage row holds', async () => {
		const { event, hosts } = await stageWith(5, 4);
		const { views, stop } = await screen(event.id);
		const restore = await slowFirstAnnouncement();
		try {
			const answers = await Promise.all(hosts.map((h) => controlStage(h, event.id, 'next')));
			await expect.poll(() => views.length, { timeout: 5000 }).toBe(hosts.length);
			// Each press moved one talk, in turn, and the screen heard them in that order. With the
			// announcement made after the commit instead, PostgreSQL screens heard e.g. 2, 4, 3, 1.
			expect(answers.map((a) => a.position).sort((a, b) => a - b)).toEqual([1, 2, 3, 4]);
			expect(views.map((v) => v.position)).toEqual([1, 2, 3, 4]);
		} finally {
			stop();
			await restore();
		}
		const last = views.at(-1)!;
		expect(last.current?.id).toBe(await committedTalk(event.id));
		expect(last.current).toEqual((await stageView(event.id)).current);
	});

	it('negative control: announcing after the commit lets a screen end on an earlier talk', async () => {
		const { event } = await stageWith(3, 1);
		const order = (await publicProgramme(event.id)).flatMap((d) => d.talks.map((t) => t.id));
		const { views, stop } = await screen(event.id);
		// The order the stage used to have: commit the move, then read the view and announce it.
		const press = async (talkId: number) => {
			await db()
				.insert(schema.stage)
				.values({ eventId: event.id, talkId })
				.onConflictDoUpdate({ target: schema.stage.eventId, set: { talkId } });
			return stageView(event.id);
		};
		const announce = (view: StageView) =>
			db().transaction((tx) => live().publish(event.id, 'stage', view, tx));
		try {
			// Two hosts press "next": the first is held up between its commit and its announcement.
			const first = await press(order[0]);
			await announce(await press(order[1]));
			await announce(first);
			await expect.poll(() => views.length, { timeout: 5000 }).toBe(2);
		} finally {
			stop();
		}
		expect(views.map((v) => v.position)).toEqual([2, 1]);
		expect(await committedTalk(event.id)).toBe(order[1]);
		expect(views.at(-1)!.current?.id).not.toBe(await committedTalk(event.id));
	});
});
