import { eq, sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { useTestDb } from '../../../../tests/fixtures/db';
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
	for (let i = 1; i <= count; i++) {
		const { talk } = await makeTalk(event.id, { title: `Talk ${i}` });
		await decideTalk(organiser, event.id, talk.id, 'accepted');
		await placeTalk(organiser, event.id, talk.id, block.id);
	}
	const team = [organiser];
	while (team.length < hosts) {
		const facilitator = actorOf(await makeUser());
		await grantRole(event.id, facilitator.id, 'facilitator');
		team.push(facilitator);
	}
	return { event, hosts: team };
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

describe('stage, with several hosts', () => {
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
