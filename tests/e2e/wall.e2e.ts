import path from 'node:path';
import { expect, test, type BrowserContext, type Page } from '@playwright/test';
import {
	addBlock,
	addRoom,
	adminContext,
	ANONYMOUS,
	createTicketedEvent,
	expectNoAxeViolations,
	newPerson,
	open,
	SCREENSHOTS,
	summerEvent,
	ticketHolder,
	uniqueSlug
} from './helpers';

// The wall follows the day on a 1920×1080 projector: the proposals while people propose, bars
// that reorder as dots arrive while they vote, and the agenda of now and next once it is out,
// each readable from the back of the room (type from the computed styles, the QR's size, how
// much of the screen is left empty).

test.describe.configure({ mode: 'serial' });

const event = summerEvent({ slug: uniqueSlug('wall') });
const ROUND = 'Friday sessions';
const TITLES = ['Seed libraries', 'Mesh networks', 'Tool sharing'];

let organiser: BrowserContext;
let admin: Page;
let wall: Page;
let ana: Page;
let ben: Page;
let cai: Page;
const contexts: BrowserContext[] = [];

/** What a reader at the back of the room gets: type sizes, the QR's size, the empty share. */
async function readability(page: Page) {
	return page.evaluate(() => {
		const root = document.querySelector<HTMLElement>('.wall')!;
		const shown = (el: Element) => {
			const box = el.getBoundingClientRect();
			return box.width > 0 && box.height > 0 && !el.closest('.visually-hidden, button');
		};
		const texts = [...root.querySelectorAll('*')]
			.filter((el) => [...el.childNodes].some((n) => n.nodeType === 3 && n.textContent!.trim()))
			.filter(shown)
			.map((el) => ({
				text: el.textContent!.trim().slice(0, 40),
				size: parseFloat(getComputedStyle(el).fontSize)
			}));
		const qr = root.querySelector('.qr')!.getBoundingClientRect();
		// The screen is "filled" where a line of text, the QR, a card, a bar or a session is.
		const boxes = [
			...root.querySelectorAll(
				'.top p, .top h1, .top figure, .countdown, .cards > li, .bars > li, .now-next h2, .now-next li, .message'
			)
		].map((el) => el.getBoundingClientRect());
		let empty = 0;
		let all = 0;
		for (let x = 5; x < innerWidth; x += 10) {
			for (let y = 5; y < innerHeight; y += 10) {
				all++;
				if (!boxes.some((b) => x >= b.left && x <= b.right && y >= b.top && y <= b.bottom)) empty++;
			}
		}
		const h1 = parseFloat(getComputedStyle(root.querySelector('h1')!).fontSize);
		return {
			texts,
			smallest: Math.min(...texts.map((t) => t.size)),
			h1,
			qr: Math.min(qr.width, qr.height),
			empty: empty / all,
			overflows: root.scrollHeight > innerHeight + 1 || root.scrollWidth > innerWidth + 1
		};
	});
}

async function expectReadable(page: Page, name: string) {
	await page.screenshot({ path: path.join(SCREENSHOTS, `wall-${name}-1920.png`) });
	const r = await readability(page);
	const small = r.texts.filter((t) => t.size < 28);
	expect(small, `text under 28 px on the ${name} wall`).toEqual([]);
	expect(r.h1, 'the title is larger than the body').toBeGreaterThan(r.smallest);
	expect(r.qr).toBeGreaterThanOrEqual(240);
	expect(r.empty, `empty share of the ${name} wall`).toBeLessThanOrEqual(0.15);
	expect(r.overflows).toBe(false);
	return r;
}

/** The proposals' titles in the order their bars stand, top to bottom. */
const barOrder = (page: Page) =>
	page.locator('.bars > li .title').evaluateAll((els) => els.map((el) => el.textContent));

test.beforeAll(async ({ browser, baseURL }) => {
	organiser = await adminContext(browser, baseURL);
	admin = await organiser.newPage();
	await createTicketedEvent(admin, event, [{ name: 'Community', pricing: 'Free' }]);
	for (const [name, seats] of [
		['Beveridge Hall', '80'],
		['Room G22', '20'],
		['Room G26', '20']
	]) {
		await addRoom(admin, event.slug, { name, seats });
	}
	await addBlock(admin, event.slug, {
		day: 0,
		kind: 'Session round',
		title: 'Session round 1',
		start: '11:30',
		end: '12:30'
	});
	const a = await ticketHolder(browser, baseURL, event.slug, newPerson('Ana'));
	const b = await ticketHolder(browser, baseURL, event.slug, newPerson('Ben'));
	const c = await ticketHolder(browser, baseURL, event.slug, newPerson('Cai'));
	contexts.push(a.context, b.context, c.context);
	ana = a.page;
	ben = b.page;
	cai = c.page;
	const wallContext = await browser.newContext({
		baseURL,
		storageState: ANONYMOUS,
		viewport: { width: 1920, height: 1080 }
	});
	contexts.push(wallContext);
	wall = await wallContext.newPage();
});

test.afterAll(async () => {
	for (const context of contexts) await context.close();
	await organiser.close();
});

test('proposing: the wall shows the proposals, large enough for the back row', async () => {
	await open(admin, `/manage/${event.slug}/marketplace`);
	const form = admin.getByRole('region', { name: 'Add a round' });
	await form.getByLabel('Title').fill(ROUND);
	await form.getByRole('button', { name: 'Add a round' }).click();
	await expect(admin.getByRole('heading', { level: 2, name: ROUND })).toBeVisible();

	// Prepared, not open: the wall does not show it yet.
	await open(wall, `/e/${event.slug}/wall`);
	await expect(wall.getByText('The marketplace has not started yet.')).toBeVisible();

	await admin.getByRole('button', { name: 'Open for proposals' }).click();
	await expect(wall.getByRole('heading', { level: 1, name: new RegExp(ROUND) })).toBeVisible();
	for (const [i, title] of TITLES.entries()) {
		// Each convened by someone else, so all three can meet in one block.
		const page = [ana, ben, cai][i];
		await open(page, `/e/${event.slug}/marketplace`);
		const propose = page.getByRole('region', { name: 'Propose a session' });
		await propose.getByLabel('Title').fill(title);
		await propose.getByLabel('Question').fill(`What about ${title.toLowerCase()}?`);
		await propose.getByRole('button', { name: 'Post proposal' }).click();
		await expect(wall.getByRole('heading', { level: 3, name: title })).toBeVisible();
	}
	await expect(wall.getByText('Post your session proposals now')).toBeVisible();
	await expect(wall.getByRole('link', { name: /\/marketplace$/ })).toBeVisible();
	await expectReadable(wall, 'proposing');
	await expectNoAxeViolations(wall);
});

test('voting: the proposals are bars sorted by dots, and they reorder as dots arrive', async () => {
	await open(admin, `/manage/${event.slug}/marketplace`);
	await admin.getByRole('button', { name: 'Open refining' }).click();
	await expect(admin.getByText(`${ROUND}: refining is open now.`)).toBeVisible();
	await admin.getByRole('button', { name: 'Open voting' }).click();
	await expect(wall.getByText(/Place your dots/)).toBeVisible();
	await expect.poll(() => barOrder(wall)).toEqual(TITLES);

	// Two dots on the last proposal: its bar rises to the top without a reload.
	await open(ana, `/e/${event.slug}/marketplace`);
	const dot = (page: Page, title: string) =>
		page.getByRole('button', { name: new RegExp(`place a dot on “${title}”`) }).click();
	await dot(ana, 'Tool sharing');
	await expect(ana.getByText('Your dots here: 1 of 2', { exact: true })).toBeVisible();
	await dot(ana, 'Tool sharing');
	await expect
		.poll(() => barOrder(wall))
		.toEqual(['Tool sharing', 'Seed libraries', 'Mesh networks']);
	await open(ben, `/e/${event.slug}/marketplace`);
	await dot(ben, 'Mesh networks');
	await expect
		.poll(() => barOrder(wall))
		.toEqual(['Tool sharing', 'Mesh networks', 'Seed libraries']);
	const bar = (title: string) =>
		wall.locator('.bars > li').filter({ hasText: title }).locator('.fill');
	// The longest bar is the most dotted; one dot is half its length.
	const width = async (title: string) => (await bar(title).boundingBox())!.width;
	await expect
		.poll(async () => (await width('Mesh networks')) / (await width('Tool sharing')))
		.toBeCloseTo(0.5, 1);
	await wall.waitForTimeout(800); // the slide has ended before the picture
	await expectReadable(wall, 'voting');
	await expectNoAxeViolations(wall);
});

test('published: the agenda of now and next, with its QR to the agenda', async () => {
	await open(admin, `/manage/${event.slug}/marketplace`);
	await admin.getByRole('button', { name: 'Close the vote' }).click();
	await expect(admin.getByText(`${ROUND}: the vote is closed.`)).toBeVisible();
	await admin.getByRole('link', { name: 'Agenda for this round' }).click();
	const blocks = admin.getByRole('group', { name: 'Session-round blocks this round fills' });
	await blocks.getByLabel(/Session round 1/).check();
	await admin.getByRole('button', { name: 'Save blocks' }).click();
	await expect(admin.getByText('Blocks saved.')).toBeVisible();
	await admin.getByRole('button', { name: 'Generate agenda' }).click();
	await expect(admin.getByText('Agenda generated: 3 sessions placed, 0 left out.')).toBeVisible();
	await admin.getByRole('button', { name: 'Publish agenda' }).click();
	await expect(admin.getByText(/This agenda is live/)).toBeVisible();

	await expect(
		wall.getByRole('heading', { level: 2, name: /^Next: Session round 1/ })
	).toBeVisible();
	for (const title of TITLES) {
		await expect(wall.getByRole('listitem').filter({ hasText: title })).toContainText(
			/(Beveridge Hall|Room G22|Room G26) · 11:30–12:30/
		);
	}
	await expect(wall.getByRole('listitem').filter({ hasText: 'Mesh networks' })).toContainText(
		'Convened by Ben'
	);
	await expect(wall.getByRole('link', { name: /\/agenda$/ })).toBeVisible();
	await expect(wall.getByRole('img', { name: /opens the agenda/ })).toBeVisible();
	await expectReadable(wall, 'published');
	await expectNoAxeViolations(wall);
});
