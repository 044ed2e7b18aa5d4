import { readFile } from 'node:fs/promises';
import { expect, test } from '@playwright/test';
import ICAL from 'ical.js';
import {
	addBlock,
	addRoom,
	ADMIN_STATE,
	ANONYMOUS,
	createEvent,
	publish,
	summerEvent
} from './helpers';

// An organiser builds a two-day gathering, publishes it, and a visitor reads it and takes it
// home as a calendar file.

test.use({ storageState: ADMIN_STATE });

test('create, plan and publish an event; visitors see it and can add it to a calendar', async ({
	page,
	browser,
	baseURL
}) => {
	const event = summerEvent();
	await createEvent(page, event);
	await expect(page.locator('main section[aria-labelledby^="day-"]')).toHaveCount(2);

	await addRoom(page, event.slug, { name: 'Main Hall', seats: '120', accessibility: 'Step-free.' });
	await addRoom(page, event.slug, { name: 'Garden Room', seats: '30' });
	await expect(page.getByText('Rooms: 2. Seats in all rooms: 150.')).toBeVisible();

	const blocks = [
		{
			day: 0,
			kind: 'Plenary',
			title: 'Opening circle',
			start: '09:00',
			end: '10:30',
			room: 'Main Hall'
		},
		{
			day: 0,
			kind: 'Session round',
			title: 'Session round 1',
			start: '11:00',
			end: '12:15',
			room: 'Garden Room'
		},
		{ day: 1, kind: 'Plenary', title: 'Closing harvest', start: '09:00', end: '12:30' }
	];
	for (const block of blocks) await addBlock(page, event.slug, block);
	const firstDay = page.locator('main section[aria-labelledby^="day-"]').first();
	await expect(firstDay.getByRole('row', { name: /Opening circle/ })).toContainText('09:00–10:30');
	await expect(firstDay.getByRole('row', { name: /Opening circle/ })).toContainText('Main Hall');

	await publish(page, event.slug);
	await expect(page.locator('.event-title')).toContainText('Published');

	// An anonymous visitor reads the public page.
	const visitor = await browser.newContext({ baseURL, storageState: ANONYMOUS });
	const publicPage = await visitor.newPage();
	const response = await publicPage.goto(`/e/${event.slug}`);
	expect(response?.status()).toBe(200);
	await expect(publicPage.getByRole('heading', { level: 1, name: event.name })).toBeVisible();
	await expect(publicPage.getByText('times in Europe/London')).toBeVisible();
	await expect(publicPage.getByRole('definition').first()).toContainText(
		/10 July 2030 – Thursday, 11 July 2030/
	);
	await expect(publicPage.getByText('Senate House, Malet Street, London WC1E 7HU')).toBeVisible();
	await expect(publicPage.getByRole('heading', { level: 2, name: 'Day plan' })).toBeVisible();
	const days = publicPage.locator('article section[aria-labelledby^="day-"]');
	await expect(days).toHaveCount(2);
	// Times are wall-clock times in London (BST), not UTC.
	const opening = days.nth(0).getByRole('listitem').filter({ hasText: 'Opening circle' });
	await expect(opening.locator('.time')).toHaveText('09:00–10:30');
	await expect(opening).toContainText('Plenary · Main Hall');
	const round = days.nth(0).getByRole('listitem').filter({ hasText: 'Session round 1' });
	await expect(round.locator('.time')).toHaveText('11:00–12:15');
	await expect(round).toContainText('Garden Room');
	const closing = days.nth(1).getByRole('listitem').filter({ hasText: 'Closing harvest' });
	await expect(closing.locator('.time')).toHaveText('09:00–12:30');
	await expect(days.nth(1).getByRole('listitem')).toHaveCount(1);

	// The calendar file: one VEVENT per day, from the day's first block to its last.
	const downloading = publicPage.waitForEvent('download');
	await publicPage.getByRole('link', { name: 'Add to calendar (.ics)' }).click();
	const download = await downloading;
	expect(download.suggestedFilename()).toBe(`${event.slug}.ics`);
	const text = await readFile((await download.path())!, 'utf8');
	const calendar = new ICAL.Component(ICAL.parse(text));
	const vevents = calendar.getAllSubcomponents('vevent').map((v) => new ICAL.Event(v));
	expect(vevents).toHaveLength(2);
	const location = `${event.venue}, ${event.address}`;
	const instant = (t: ICAL.Time) => t.toJSDate().toISOString();
	expect(vevents.map((v) => v.summary)).toEqual([event.name, event.name]);
	expect(vevents.map((v) => v.location)).toEqual([location, location]);
	// 09:00 in London in July is 08:00 UTC.
	expect(vevents.map((v) => instant(v.startDate))).toEqual([
		'2030-07-10T08:00:00.000Z',
		'2030-07-11T08:00:00.000Z'
	]);
	expect(vevents.map((v) => instant(v.endDate))).toEqual([
		'2030-07-10T11:15:00.000Z',
		'2030-07-11T11:30:00.000Z'
	]);
	expect(vevents.map((v) => v.uid)).toEqual([...new Set(vevents.map((v) => v.uid))]);

	// The home page lists it.
	await publicPage.goto('/');
	const listing = publicPage.getByRole('listitem').filter({ hasText: event.name });
	await expect(listing).toContainText('10 July 2030 – Thursday, 11 July 2030 · Senate House');
	await listing.getByRole('link', { name: event.name }).click();
	await expect(publicPage).toHaveURL(`/e/${event.slug}`);
	await visitor.close();
});

test('a draft event is hidden from visitors but its team can preview it', async ({
	page,
	browser,
	baseURL
}) => {
	const event = summerEvent({ slug: summerEvent().slug.replace('gathering', 'draft') });
	await createEvent(page, event);

	const visitor = await browser.newContext({ baseURL, storageState: ANONYMOUS });
	const publicPage = await visitor.newPage();
	const response = await publicPage.goto(`/e/${event.slug}`);
	expect(response?.status()).toBe(404);
	await expect(publicPage.getByRole('heading', { level: 1, name: 'Page not found' })).toBeVisible();
	await expect(publicPage.getByText(event.name)).toHaveCount(0);
	const calendar = await visitor.request.get(`/e/${event.slug}/event.ics`);
	expect(calendar.status()).toBe(404);
	await visitor.close();

	// The organiser (here the admin) sees the draft with a preview notice.
	await page.goto(`/e/${event.slug}`);
	await expect(page.getByRole('heading', { level: 1, name: event.name })).toBeVisible();
	await expect(page.getByText('Preview: this event is not published')).toBeVisible();
});
