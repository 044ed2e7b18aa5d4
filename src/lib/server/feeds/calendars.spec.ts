import ICAL from 'ical.js';
import { describe, expect, it } from 'vitest';
import { useTestDb } from '../../../../tests/fixtures/db';
import { scheduledEvent } from '../../../../tests/fixtures/feeds';
import { GET as personalFeed } from '../../../routes/(public)/e/[event=slug]/agenda/feed/[token].ics/+server';
import { GET as programmeFeed } from '../../../routes/(public)/e/[event=slug]/programme.ics/+server';
import { moveSession } from '../agenda/agenda';
import { myAgenda } from '../agenda/attendance';
import { db, schema } from '../db';
import { setEventStatus } from '../events/events';
import { placeTalk, slotOf } from '../talks/running-order';
import { makeCalendarToken, revokeCalendarToken } from './calendars';

useTestDb();

type FeedRequest = Parameters<typeof personalFeed>[0];

/** A request as a calendar app sends it: no cookie, nobody signed in. */
function fetchFeed(slug: string, token: string) {
	const url = new URL(`https://gathering.example/e/${slug}/agenda/feed/${token}.ics`);
	return personalFeed({
		params: { event: slug, token },
		url,
		locals: {}
	} as unknown as FeedRequest);
}

function entries(ics: string) {
	const calendar = new ICAL.Component(ICAL.parse(ics));
	return {
		calendar,
		events: calendar.getAllSubcomponents('vevent').map((v) => ({
			uid: String(v.getFirstPropertyValue('uid')),
			sequence: Number(v.getFirstPropertyValue('sequence')),
			summary: String(v.getFirstPropertyValue('summary')),
			start: (v.getFirstPropertyValue('dtstart') as ICAL.Time).toJSDate()
		}))
	};
}

async function status(run: () => unknown) {
	try {
		await run();
		return 200;
	} catch (e) {
		return (e as { status?: number }).status;
	}
}

describe('personal calendar feed', () => {
	it('is fetched by its token without a cookie, and gone once revoked', async () => {
		const { event, attendees } = await scheduledEvent();
		const person = attendees[0];
		const token = await makeCalendarToken(person, event.id);
		const res = await fetchFeed(event.slug, token);
		expect(res.status).toBe(200);
		expect(res.headers.get('content-type')).toBe('text/calendar; charset=utf-8');
		const text = await res.text();
		expect(text).toContain('REFRESH-INTERVAL;VALUE=DURATION:PT1H');
		const { calendar, events } = entries(text);
		expect(calendar.getFirstPropertyValue('x-published-ttl')).toBe('PT1H');
		const mine = await myAgenda(person, event.id);
		expect(mine.length).toBeGreaterThan(0);
		expect(events.map((x) => x.uid).sort()).toEqual(
			mine.map((x) => `session-${x.id}@commonspace`).sort()
		);
		// Only the hash is stored.
		const stored = await db().select().from(schema.calendarTokens);
		expect(stored.map((x) => x.tokenHash)).not.toContain(token);

		await revokeCalendarToken(person, event.id);
		expect(await status(() => fetchFeed(event.slug, token))).toBe(404);
	});

	it('a new address ends the old one, and a token does not open another event', async () => {
		const { event, attendees } = await scheduledEvent();
		const other = await scheduledEvent();
		const first = await makeCalendarToken(attendees[0], event.id);
		const second = await makeCalendarToken(attendees[0], event.id);
		expect(await status(() => fetchFeed(event.slug, first))).toBe(404);
		expect(await status(() => fetchFeed(event.slug, second))).toBe(200);
		expect(await status(() => fetchFeed(other.event.slug, second))).toBe(404);
		expect(await status(() => fetchFeed(event.slug, 'not-a-token'))).toBe(404);
	});

	it('a moved session keeps its UID and raises its SEQUENCE', async () => {
		const { event, organiser, attendees, blocks } = await scheduledEvent();
		const person = attendees[0];
		const token = await makeCalendarToken(person, event.id);
		const before = entries(await (await fetchFeed(event.slug, token)).text()).events;
		const [session] = await myAgenda(person, event.id);
		const uid = `session-${session.id}@commonspace`;
		const was = before.find((x) => x.uid === uid)!;
		// Fetching again without a change keeps the SEQUENCE.
		const again = entries(await (await fetchFeed(event.slug, token)).text()).events;
		expect(again.find((x) => x.uid === uid)!.sequence).toBe(was.sequence);

		const other = blocks.find((b) => b.id !== session.block.id)!;
		await moveSession(organiser, event.id, session.id, other.id, session.room.id);
		const after = entries(await (await fetchFeed(event.slug, token)).text()).events;
		const now = after.find((x) => x.uid === uid)!;
		expect(after).toHaveLength(before.length);
		expect(now.sequence).toBe(was.sequence + 1);
		expect(now.start.getTime()).toBe(other.startsAt.getTime());
		expect(now.start.getTime()).not.toBe(was.start.getTime());
	});
});

describe('personal feed of a presenter', () => {
	it('lists their own accepted talk at its slot, and a moved talk raises its SEQUENCE', async () => {
		const { event, organiser, talks, night } = await scheduledEvent();
		const { talk, presenter } = talks[0];
		const token = await makeCalendarToken(presenter, event.id);
		const before = entries(await (await fetchFeed(event.slug, token)).text()).events;
		const uid = `talk-${talk.id}@commonspace`;
		// Their own talk, none of the others'.
		expect(before.filter((x) => x.uid.startsWith('talk-')).map((x) => x.uid)).toEqual([uid]);
		const mine = before.find((x) => x.uid === uid)!;
		const slot = (await slotOf(event.id, talk.id))!;
		expect(mine.start.getTime()).toBe(slot.startsAt.getTime());
		expect(mine.summary).toBe(talk.title);

		await placeTalk(organiser, event.id, talk.id, night.id);
		const after = entries(await (await fetchFeed(event.slug, token)).text()).events;
		const moved = after.find((x) => x.uid === uid)!;
		expect(moved.sequence).toBe(mine.sequence + 1);
		expect(moved.start.getTime()).toBe((await slotOf(event.id, talk.id))!.startsAt.getTime());
		expect(moved.start.getTime()).not.toBe(mine.start.getTime());
	});
});

describe('public programme feed', () => {
	it('holds every talk and session with stable UIDs and refresh hints', async () => {
		const { event, organiser, talks } = await scheduledEvent();
		const url = new URL(`https://gathering.example/e/${event.slug}/programme.ics`);
		const get = () =>
			programmeFeed({
				params: { event: event.slug },
				url,
				locals: { user: null }
			} as unknown as Parameters<typeof programmeFeed>[0]);
		// A draft event's programme is not public yet.
		expect(await status(get)).toBe(404);
		await setEventStatus(organiser, event.id, 'published');
		const res = await get();
		expect(res.headers.get('cache-control')).toBe('public, max-age=900');
		expect(res.headers.get('content-type')).toBe('text/calendar; charset=utf-8');
		const { events } = entries(await res.text());
		expect(events).toHaveLength(talks.length + 3);
		for (const { talk } of talks) {
			expect(events.map((x) => x.uid)).toContain(`talk-${talk.id}@commonspace`);
		}
		expect(events.every((x) => x.sequence === 0)).toBe(true);
	});
});
