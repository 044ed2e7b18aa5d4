import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { m } from '$lib/paraglide/messages';
import { domainError } from '../../../../tests/fixtures/domain-error';
import { useTestDb } from '../../../../tests/fixtures/db';
import {
	actorOf,
	daysOf,
	eventInput,
	makeEvent,
	makeUser
} from '../../../../tests/fixtures/factories';
import { instantToZoned } from '$lib/time';
import { db, schema } from '../db';
import {
	createEvent,
	eventForPublic,
	listManagedEvents,
	listPublishedEvents,
	setEventStatus,
	updateEvent
} from './events';
import { addBlock, listSchedule } from './schedule';

useTestDb();

describe('events', () => {
	it('creating an event makes its creator organiser, one day per date, and logs it', async () => {
		const user = await makeUser();
		const event = await createEvent(
			actorOf(user),
			eventInput({ startDate: '2027-06-24', endDate: '2027-06-26' })
		);
		expect((await daysOf(event.id)).map((d) => d.date)).toEqual([
			'2027-06-24',
			'2027-06-25',
			'2027-06-26'
		]);
		const roles = await db()
			.select()
			.from(schema.eventRoles)
			.where(eq(schema.eventRoles.eventId, event.id));
		expect(roles).toEqual([expect.objectContaining({ userId: user.id, role: 'organiser' })]);
		const log = await db()
			.select()
			.from(schema.activity)
			.where(eq(schema.activity.eventId, event.id));
		expect(log.map((l) => l.action)).toContain('event.created');
		expect((await listManagedEvents(actorOf(user))).map((e) => e.event.id)).toEqual([event.id]);
	});

	it('refuses a slug that is taken, next to the slug field', async () => {
		const { event } = await makeEvent();
		const user = actorOf(await makeUser());
		const e = await domainError(() => createEvent(user, eventInput({ slug: event.slug })));
		expect(e.fields.slug).toBe(m.error_slug_taken());
	});

	it('refuses HTML and script in the description rather than storing it', async () => {
		const user = actorOf(await makeUser());
		for (const description of [
			'<script>alert(1)</script>',
			'[x](javascript:alert(1))',
			'<img src=x onerror=alert(1)>'
		]) {
			const e = await domainError(() => createEvent(user, eventInput({ description })));
			expect(e.fields.description).toBe(m.error_unsafe_markup());
		}
	});

	it('shrinking the dates drops empty days but refuses to drop a day that has blocks', async () => {
		const { event, organiser } = await makeEvent({
			startDate: '2027-06-24',
			endDate: '2027-06-26'
		});
		const days = await daysOf(event.id);
		await addBlock(organiser, event.id, {
			dayId: days[2].id,
			kind: 'social',
			title: 'Party',
			start: '18:00',
			end: '20:00',
			roomId: null
		});
		const e = await domainError(() =>
			updateEvent(
				organiser,
				event.id,
				eventInput({ slug: event.slug, startDate: '2027-06-24', endDate: '2027-06-25' })
			)
		);
		expect(e.fields.endDate).toContain('2027-06-26');
		await updateEvent(
			organiser,
			event.id,
			eventInput({ slug: event.slug, startDate: '2027-06-25', endDate: '2027-06-26' })
		);
		expect((await daysOf(event.id)).map((d) => d.date)).toEqual(['2027-06-25', '2027-06-26']);
	});

	it('a new time zone keeps blocks at the same wall-clock time', async () => {
		const { event, organiser } = await makeEvent({ timeZone: 'Europe/London' });
		const [day] = await daysOf(event.id);
		await addBlock(organiser, event.id, {
			dayId: day.id,
			kind: 'plenary',
			title: 'Opening',
			start: '09:00',
			end: '09:30',
			roomId: null
		});
		await updateEvent(
			organiser,
			event.id,
			eventInput({ slug: event.slug, timeZone: 'Europe/Madrid' })
		);
		const [first] = (await listSchedule(event.id))[0].blocks;
		expect(instantToZoned(first.startsAt, 'Europe/Madrid').time).toBe('09:00');
		expect(first.startsAt.toISOString()).toBe('2027-06-24T07:00:00.000Z');
	});

	it('only published events are public; the team may preview a draft', async () => {
		const { event, organiser } = await makeEvent();
		const stranger = actorOf(await makeUser());
		expect((await domainError(() => eventForPublic(null, event.slug))).kind).toBe('not_found');
		expect((await domainError(() => eventForPublic(stranger, event.slug))).kind).toBe('not_found');
		expect((await eventForPublic(organiser, event.slug)).id).toBe(event.id);
		await setEventStatus(organiser, event.id, 'published');
		expect((await eventForPublic(null, event.slug)).id).toBe(event.id);
		expect((await listPublishedEvents()).map((e) => e.id)).toContain(event.id);
		await setEventStatus(organiser, event.id, 'archived');
		expect((await domainError(() => eventForPublic(null, event.slug))).kind).toBe('not_found');
	});
});
