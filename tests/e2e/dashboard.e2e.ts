import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import {
	adminContext,
	createTicketedEvent,
	expectNoAxeViolations,
	open,
	SCREENSHOTS,
	summerEvent,
	ticketHolder,
	unique,
	uniqueSlug
} from './helpers';

// The organiser's overview draws the event: the seats bar against the cap from the start, and
// the figures follow the door and the shop live. Drawn on the server, so it shows without
// JavaScript; screenshots on a desktop and a phone, and axe finds nothing.

const event = summerEvent({
	slug: uniqueSlug('dash'),
	name: 'Dashboard Gathering',
	capacity: '40'
});

test('the overview draws seats, sales and talks, live, on desktop and phone', async ({
	browser
}, testInfo) => {
	testInfo.setTimeout(180_000);
	const baseURL = testInfo.project.use.baseURL;
	const admin = await adminContext(browser, baseURL);
	const page = await admin.newPage();
	await createTicketedEvent(page, event, [{ name: 'Standard', pricing: 'Free' }]);

	// Before anything is sold the seats bar is drawn, in the server's HTML.
	const html = await (await page.request.get(`/manage/${event.slug}`)).text();
	expect(html).toMatch(/<svg[^>]*role="img"[^>]*aria-labelledby="seats-title seats-summary"/);
	await open(page, `/manage/${event.slug}`);
	const seats = page.getByRole('figure', { name: 'Seats now' });
	await expect(seats.locator('#seats-summary')).toHaveText(
		'0 sold, 0 held while paying, 0 offered to the waiting list and 40 free, of 40 seats. 0 people are waiting.'
	);
	await expect(page.getByRole('figure', { name: 'Tickets over time' })).toContainText(
		'No tickets issued yet.'
	);

	// Someone gets a ticket while the organiser watches: the bar follows without a reload.
	const { context } = await ticketHolder(browser, baseURL, event.slug, {
		name: 'Dana Dashboard',
		email: `dana-${unique()}@example.org`,
		password: 'a long enough password'
	});
	await expect(seats.locator('#seats-summary')).toHaveText(
		'1 sold, 0 held while paying, 0 offered to the waiting list and 39 free, of 40 seats. 0 people are waiting.',
		{ timeout: 15_000 }
	);
	await expect(page.getByRole('figure', { name: 'Tickets over time' })).toContainText(
		'1 tickets issued so far, against a cap of 40.'
	);
	// The table says the same as the drawing.
	await seats.getByText('Show as a table').click();
	await expect(seats.getByRole('row', { name: 'Sold 1' })).toBeVisible();
	await expect(page.getByRole('figure', { name: 'Check-ins by hour' })).toContainText(
		'Nobody checked in yet.'
	);
	// One line per ticket type; its table has a column per type.
	const tickets = page.getByRole('figure', { name: 'Tickets over time' });
	await tickets.getByText('Show as a table').click();
	await expect(tickets.getByRole('columnheader', { name: 'Standard' })).toBeVisible();
	// A free ticket takes no money; nobody paid what they could; no block is on now.
	await expect(page.getByRole('figure', { name: 'Revenue by ticket type' })).toContainText(
		'No money taken yet.'
	);
	await expect(page.getByRole('figure', { name: 'What people chose to pay' })).toContainText(
		'No pay-what-you-can tickets paid yet.'
	);
	await expect(page.getByRole('figure', { name: "“I'm here” per room" })).toContainText(
		'No open-space block is on now.'
	);

	await page.setViewportSize({ width: 1920, height: 1080 });
	await expectNoAxeViolations(page);
	mkdirSync(SCREENSHOTS, { recursive: true });
	await page.screenshot({ path: path.join(SCREENSHOTS, 'dashboard-desktop.png'), fullPage: true });

	await page.setViewportSize({ width: 390, height: 844 });
	await page.reload();
	await expect(seats).toBeVisible();
	await expectNoAxeViolations(page);
	await page.screenshot({ path: path.join(SCREENSHOTS, 'dashboard-phone.png'), fullPage: true });
	await context.close();
	await admin.close();
});

test('the public page carries OpenGraph and Twitter card tags; the schedule feeds answer', async ({
	request
}) => {
	const html = await (await request.get(`/e/${event.slug}`)).text();
	expect(html).toContain('<meta property="og:title" content="Dashboard Gathering"');
	expect(html).toMatch(
		/<meta name="twitter:description" content="[^"]*Senate House, Malet Street, London WC1E 7HU\. Two days of open space/
	);
	// The share picture: an absolute address on every public page, a 1200×630 PNG.
	for (const where of ['', '/agenda', '/talks']) {
		const page = await (await request.get(`/e/${event.slug}${where}`)).text();
		expect(page).toContain('<meta name="twitter:card" content="summary_large_image"');
		expect(page).toMatch(
			/<meta name="twitter:image" content="http:\/\/[^"]+\/og\.png\?v=\d+&amp;lang=en"/
		);
	}
	const image = /<meta property="og:image" content="([^"]+)"/.exec(html)![1].replace(/&amp;/g, '&');
	expect(image).toMatch(new RegExp(`^https?://[^/]+/e/${event.slug}/og\\.png\\?v=\\d+&lang=en$`));
	const png = await request.get(image);
	expect(png.headers()['content-type']).toBe('image/png');
	const bytes = await png.body();
	expect(bytes.subarray(1, 4).toString('ascii')).toBe('PNG');
	expect([bytes.readUInt32BE(16), bytes.readUInt32BE(20)]).toEqual([1200, 630]);

	const xml = await request.get(`/e/${event.slug}/schedule.xml`);
	expect(xml.headers()['content-type']).toBe('application/xml; charset=utf-8');
	expect(await xml.text()).toContain(`<acronym>${event.slug}</acronym>`);
	const json = await (await request.get(`/e/${event.slug}/schedule.json`)).json();
	expect(json.schedule.conference.acronym).toBe(event.slug);
	const ics = await request.get(`/e/${event.slug}/programme.ics`);
	expect(ics.headers()['content-type']).toBe('text/calendar; charset=utf-8');
});
