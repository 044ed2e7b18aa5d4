import path from 'node:path';
import { expect, test, type Browser, type BrowserContext, type Page } from '@playwright/test';
import ICAL from 'ical.js';
import jsQR from 'jsqr';
import {
	ADMIN,
	adminContext,
	ANONYMOUS,
	createTicketedEvent,
	expectNoAxeViolations,
	expectTicket,
	hydrated,
	newPerson,
	open,
	orderTicket,
	SCREENSHOTS,
	signUp,
	summerEvent,
	uniqueSlug
} from './helpers';

// On a phone (390×844): the header is one short row with the language and the links in menus;
// a person who chooses Català for their account gets their next mail in Català, whatever the
// language of the page that caused it, and the outbox shows that mail as sent: its HTML, its
// QR image (which reads as the ticket's check-in code) and its calendar file.

test.describe.configure({ mode: 'serial' });

const PHONE = { width: 390, height: 844 };
const event = summerEvent({ slug: uniqueSlug('mail') });
const contexts: BrowserContext[] = [];

const phone = async (browser: Browser, baseURL: string | undefined) => {
	const context = await browser.newContext({ baseURL, storageState: ANONYMOUS, viewport: PHONE });
	contexts.push(context);
	return context;
};

test.beforeAll(async ({ browser, baseURL }) => {
	const organiser = await adminContext(browser, baseURL);
	contexts.push(organiser);
	await createTicketedEvent(await organiser.newPage(), event, [
		{ name: 'Community', pricing: 'Free' }
	]);
});

test.afterAll(async () => {
	for (const context of contexts) await context.close();
});

const banner = (page: Page) => page.getByRole('banner');
const summary = (page: Page, text: string | RegExp) =>
	banner(page).locator('summary').filter({ hasText: text });

test('on a phone the signed-in header is one short row; its menus open by keyboard', async ({
	browser,
	baseURL
}) => {
	const page = await (await phone(browser, baseURL)).newPage();
	await signUp(page, newPerson('Pau'));
	await open(page, `/e/${event.slug}`);
	await hydrated(page);
	const height = (await banner(page).boundingBox())!.height;
	console.info(`[header] signed-in header at 390×844: ${height} px high`);
	expect(height, 'one row: the brand, the language and the menu').toBeLessThanOrEqual(64);
	expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
	// The links are in the menu, out of sight until it opens.
	const tickets = banner(page).getByRole('link', { name: 'My tickets' });
	await expect(tickets).toBeHidden();
	await page.screenshot({ path: path.join(SCREENSHOTS, 'header-390.png') });

	await summary(page, 'Menu').focus();
	await page.keyboard.press('Enter');
	await expect(tickets).toBeVisible();
	await expect(banner(page).getByRole('button', { name: 'Sign out' })).toBeVisible();
	await page.screenshot({ path: path.join(SCREENSHOTS, 'header-390-menu.png') });
	await expectNoAxeViolations(page);
	await page.keyboard.press('Escape');
	await expect(tickets).toBeHidden();
	await expect(summary(page, 'Menu')).toBeFocused();

	const language = summary(page, 'Language: English');
	await language.click();
	await expect(banner(page).getByRole('button', { name: 'Català' })).toBeVisible();
	await page.screenshot({ path: path.join(SCREENSHOTS, 'header-390-language.png') });
	await expectNoAxeViolations(page);
	// A tap elsewhere closes it.
	await page.getByRole('main').click({ position: { x: 5, y: 300 } });
	await expect(banner(page).getByRole('button', { name: 'Català' })).toBeHidden();
});

test('on a wide screen the links and the account sit in the header row', async ({
	browser,
	baseURL
}) => {
	const admin = await adminContext(browser, baseURL);
	contexts.push(admin);
	const page = await admin.newPage();
	await page.setViewportSize({ width: 1920, height: 1080 });
	await open(page, '/');
	for (const name of ['Events', 'My tickets', 'Your data', 'Manage', 'Admin', 'Outbox'])
		await expect(banner(page).getByRole('link', { name, exact: true })).toBeVisible();
	await expect(banner(page).getByRole('button', { name: 'Sign out' })).toBeVisible();
	await expect(summary(page, 'Menu')).toBeHidden();
	const height = (await banner(page).boundingBox())!.height;
	console.info(`[header] admin's header at 1920×1080: ${height} px high`);
	expect(height).toBeLessThanOrEqual(64);
	await page.screenshot({ path: path.join(SCREENSHOTS, 'header-1920.png') });
	await expectNoAxeViolations(page);
});

test('after choosing Català in the account, the next mail comes in Català with its QR and calendar', async ({
	browser,
	baseURL
}) => {
	// A long journey: sign-up, account, order, outbox and two downloads.
	test.setTimeout(180_000);
	const context = await phone(browser, baseURL);
	const page = await context.newPage();
	const person = newPerson('Núria');
	await signUp(page, person);

	await open(page, '/account');
	await page.getByLabel('Language', { exact: true }).selectOption({ label: 'Català' });
	await page.getByRole('button', { name: 'Save', exact: true }).click();
	await expect(page.getByText("S'ha desat el teu compte.")).toBeVisible();
	// Saving a new language loads the page again, so all of it is in Catalan at once.
	await expect(page.locator('html')).toHaveAttribute('lang', 'ca');
	await expect(summary(page, 'Llengua: Català')).toBeVisible();

	// The page that causes the mail is in English (this browser's choice), yet the mail follows
	// the language of the account it goes to.
	await context.addCookies([{ name: 'PARAGLIDE_LOCALE', value: 'en', url: baseURL! }]);
	await open(page, `/e/${event.slug}/tickets`);
	await expect(page.locator('html')).toHaveAttribute('lang', 'en');
	await orderTicket(page);
	const code = await expectTicket(page, event.slug, person.name);

	const admin = await adminContext(browser, baseURL);
	contexts.push(admin);
	const outbox = await admin.newPage();
	await open(outbox, '/admin/outbox');
	const message = outbox
		.locator('article.message')
		.filter({ hasText: `To ${person.email} ·` })
		.filter({ has: outbox.getByRole('heading', { name: `La teva entrada per a ${event.name}` }) });
	await expect(message).toHaveCount(1);
	await expect(message).toContainText(`Hola, ${person.name}:`);
	await message.getByRole('link', { name: 'The message as sent: HTML and attachments' }).click();
	await expect(
		outbox.getByRole('heading', { level: 1, name: `La teva entrada per a ${event.name}` })
	).toBeVisible();

	// The HTML, shown in a sandbox, in Catalan, with the QR in place.
	const frame = outbox.frameLocator('iframe[title="The message as HTML"]');
	await expect(frame.getByText(`Hola, ${person.name}:`)).toBeVisible();
	await expect(
		frame.getByRole('img', { name: `Codi QR de la teva entrada, codi ${code}` })
	).toBeVisible();
	await expect(outbox.locator('iframe[title="The message as HTML"]')).toHaveAttribute(
		'sandbox',
		''
	);
	await outbox.setViewportSize(PHONE);
	await outbox.screenshot({
		path: path.join(SCREENSHOTS, 'outbox-message-390.png'),
		fullPage: true
	});
	await expectNoAxeViolations(outbox);

	const files = outbox.getByRole('region', { name: 'Attachments' });
	const download = async (name: string | RegExp) => {
		const href = await files.getByRole('link', { name }).getAttribute('href');
		const response = await outbox.request.get(href!);
		expect(response.status()).toBe(200);
		expect(response.headers()['content-disposition']).toMatch(/^attachment;/);
		return response.body();
	};

	// The calendar file parses, and holds the event.
	const ics = (await download(`${event.slug}.ics`)).toString('utf8');
	const calendar = new ICAL.Component(ICAL.parse(ics));
	const days = calendar.getAllSubcomponents('vevent').map((v) => new ICAL.Event(v));
	expect(days.length).toBeGreaterThan(0);
	expect(days.map((d) => d.summary)).toContain(event.name);

	// The QR image decodes (pixels read by the browser, the code by jsQR) to the ticket's
	// check-in address, which carries its code.
	const png = await download('ticket-qr.png');
	const reader = await admin.newPage();
	const pixels = await reader.evaluate(async (b64) => {
		const img = new Image();
		img.src = `data:image/png;base64,${b64}`;
		await img.decode();
		const canvas = document.createElement('canvas');
		canvas.width = img.naturalWidth;
		canvas.height = img.naturalHeight;
		const ctx = canvas.getContext('2d')!;
		ctx.drawImage(img, 0, 0);
		const data = ctx.getImageData(0, 0, canvas.width, canvas.height);
		return { width: data.width, height: data.height, data: Array.from(data.data) };
	}, png.toString('base64'));
	const read = jsQR(Uint8ClampedArray.from(pixels.data), pixels.width, pixels.height);
	expect(read?.data).toBe(`${baseURL}/manage/${event.slug}/checkin?code=${code}`);
});

test('the activity log reads as sentences, leading to what they are about', async ({
	browser,
	baseURL
}) => {
	const admin = await adminContext(browser, baseURL);
	contexts.push(admin);
	const page = await admin.newPage();
	await page.setViewportSize(PHONE);
	await open(page, `/manage/${event.slug}/activity`);
	const log = page.getByRole('region', { name: 'Activity' });
	await expect(
		log.getByRole('link', { name: `${ADMIN.name} added the ticket type “Community”` })
	).toHaveAttribute('href', `/manage/${event.slug}/tickets`);
	await expect(log.getByRole('link', { name: `${ADMIN.name} published the event` })).toBeVisible();
	await expect(log).not.toContainText('ticket_type.added');
	await page.screenshot({ path: path.join(SCREENSHOTS, 'activity-390.png'), fullPage: true });
	await expectNoAxeViolations(page);
});
