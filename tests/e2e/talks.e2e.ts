import path from 'node:path';
import { expect, test, type Browser, type BrowserContext, type Page } from '@playwright/test';
import {
	addBlock,
	adminContext,
	ANONYMOUS,
	createEvent,
	expectFieldError,
	expectNoAxeViolations,
	newestOutboxLink,
	newPerson,
	open,
	publish,
	SCREENSHOTS,
	signUp,
	summerEvent,
	uniqueSlug,
	type Person
} from './helpers';

// Lightning talks from the call to the stage, as OPEN ran them: an organiser opens a call, a
// presenter sends a talk without JavaScript, another with it and a co-presenter, the organiser
// accepts both, sends the decisions, places them in the morning block, and hosts them on stage
// while an attendee's programme follows live. Every new page gets an axe scan.

test.describe.configure({ mode: 'serial' });

const event = summerEvent({ slug: uniqueSlug('talks') });
const FIRST = {
	title: 'A commons for seeds',
	summary: 'A **seed library** run by its growers.\n\nWe would like to meet other libraries.',
	presenters: 'Ana Ruiz',
	links: 'https://example.org/seeds'
};
const SECOND = {
	title: 'Mesh networks for estates',
	summary: 'Neighbours running their own wifi, and what broke.',
	presenters: 'Sam Lee and Kofi Mensah',
	links: ''
};

let organiser: BrowserContext;
let admin: Page;
let firstPresenter: Person;
let secondPresenter: Person;
const contexts: BrowserContext[] = [];

async function signedUpContext(browser: Browser, baseURL: string | undefined, person: Person) {
	const context = await browser.newContext({ baseURL, storageState: ANONYMOUS });
	contexts.push(context);
	await signUp(await context.newPage(), person);
	return context;
}

async function fillTalk(page: Page, talk: typeof FIRST) {
	await page.getByLabel('Title').fill(talk.title);
	await page.getByLabel('Your project in a few sentences').fill(talk.summary);
	await page.getByLabel('Presenter name(s)').fill(talk.presenters);
	await page.getByLabel('Links (optional)').fill(talk.links);
}

test.beforeAll(async ({ browser, baseURL }) => {
	organiser = await adminContext(browser, baseURL);
	admin = await organiser.newPage();
	await createEvent(admin, event);
	await addBlock(admin, event.slug, {
		day: 0,
		kind: 'Lightning talks',
		title: 'Morning lightning talks',
		start: '09:30',
		end: '10:00'
	});
	await publish(admin, event.slug);
});

test.afterAll(async () => {
	for (const context of contexts) await context.close();
	await organiser.close();
});

test('the organiser opens the call; a bad setting is named and nothing typed is lost', async () => {
	await open(admin, `/manage/${event.slug}/talks/call`);
	await expect(admin.getByText(/not set up yet/)).toBeVisible();
	await expectNoAxeViolations(admin);
	await admin.getByLabel('Minutes per talk').fill('90');
	await admin.getByLabel('Your own questions (optional)').fill('Who would you like to meet?');
	await admin.getByRole('button', { name: 'Save', exact: true }).click();
	await expectFieldError(admin.getByLabel('Minutes per talk'), 'Please enter 30 or less.');
	await expect(admin.getByLabel('Your own questions (optional)')).toHaveValue(
		'Who would you like to meet?'
	);
	await admin.getByLabel('Minutes per talk').fill('5');
	await admin.getByRole('button', { name: 'Save', exact: true }).click();
	await expect(admin.getByText(/open now, until/)).toBeVisible();
});

test('a presenter sends a talk without JavaScript; a failed send keeps every field', async ({
	browser,
	baseURL
}) => {
	firstPresenter = newPerson('Ana');
	const signedIn = await signedUpContext(browser, baseURL, firstPresenter);
	const context = await browser.newContext({
		baseURL,
		javaScriptEnabled: false,
		storageState: await signedIn.storageState()
	});
	contexts.push(context);
	const page = await context.newPage();
	await page.goto(`/e/${event.slug}/talks`);
	await page.getByRole('link', { name: 'Send a talk' }).first().click();
	await expect(page).toHaveURL(`/e/${event.slug}/talks/new`);
	await fillTalk(page, { ...FIRST, presenters: '' });
	await page.getByLabel('Who would you like to meet?').fill('Other seed libraries');
	await page.getByRole('button', { name: 'Send talk' }).click();
	await expectFieldError(page.getByLabel('Presenter name(s)'), 'Please fill this in.');
	await expect(page.getByLabel('Title')).toHaveValue(FIRST.title);
	await expect(page.getByLabel('Your project in a few sentences')).toHaveValue(FIRST.summary);
	await expect(page.getByLabel('Links (optional)')).toHaveValue(FIRST.links);
	await expect(page.getByLabel('Who would you like to meet?')).toHaveValue('Other seed libraries');
	await page.getByLabel('Presenter name(s)').fill(FIRST.presenters);
	await page.getByRole('button', { name: 'Send talk' }).click();
	await expect(page).toHaveURL(new RegExp(`/e/${event.slug}/talks/mine\\?sent=\\d+$`));
	await expect(page.getByRole('status')).toContainText(`“${FIRST.title}” is sent`);
	await expect(page.getByText('Sent: the organisers are reviewing it')).toBeVisible();
});

test('another presenter drafts with JavaScript (autosaved), sends, and adds a co-presenter', async ({
	browser,
	baseURL
}) => {
	secondPresenter = newPerson('Sam');
	const context = await signedUpContext(browser, baseURL, secondPresenter);
	const page = await context.newPage();
	await open(page, `/e/${event.slug}/talks/new`);
	await expectNoAxeViolations(page);
	await fillTalk(page, SECOND);
	await expect(page.getByText(/Draft saved at \d\d:\d\d/)).toBeVisible({ timeout: 15_000 });
	await page.getByRole('button', { name: 'Send talk' }).click();
	await expect(page).toHaveURL(new RegExp(`/talks/mine\\?sent=\\d+$`));
	// Autosave and sending made one talk, not two.
	await expect(page.getByRole('heading', { name: SECOND.title })).toHaveCount(1);
	await expectNoAxeViolations(page);

	const co = newPerson('Kofi');
	await page.getByLabel('Add a co-presenter by e-mail').fill(co.email);
	await page.getByRole('button', { name: 'Invite co-presenter' }).click();
	await expect(page.getByText(`An invitation is on its way to ${co.email}.`)).toBeVisible();
	const link = await newestOutboxLink(browser, baseURL, co.email, /co-present a lightning talk/);
	const coContext = await signedUpContext(browser, baseURL, co);
	const coPage = await coContext.newPage();
	await open(coPage, link);
	await expectNoAxeViolations(coPage);
	await coPage.getByRole('button', { name: 'Confirm: I co-present this talk' }).click();
	await expect(coPage.getByRole('status')).toContainText(
		`You are now a co-presenter of “${SECOND.title}”`
	);
	await open(coPage, `/e/${event.slug}/talks/mine`);
	await coPage.getByRole('link', { name: /Edit/ }).first().click();
	await expect(coPage.getByLabel('Title')).toHaveValue(SECOND.title);
	await expectNoAxeViolations(coPage);
});

test('the organiser reviews, accepts both, and sends the decisions once', async ({
	browser,
	baseURL
}) => {
	await open(admin, `/manage/${event.slug}/talks`);
	await expectNoAxeViolations(admin);
	for (const talk of [FIRST, SECOND]) {
		await open(admin, `/manage/${event.slug}/talks`);
		await admin.getByRole('link', { name: talk.title }).click();
		await expect(admin.getByRole('heading', { level: 1, name: talk.title })).toBeVisible();
		await admin.getByRole('radio', { name: /^4/ }).check();
		await admin.getByLabel('Private note (optional)').fill('Good fit for the morning.');
		await admin.getByRole('button', { name: 'Save my review' }).click();
		await expect(admin.getByText('Your review is saved.')).toBeVisible();
		await admin.getByRole('button', { name: 'Accept', exact: true }).click();
		await expect(admin.getByText(/Decision recorded/)).toBeVisible();
	}
	await expectNoAxeViolations(admin);
	await open(admin, `/manage/${event.slug}/talks`);
	await admin.getByRole('button', { name: 'Send all pending decisions (2)' }).click();
	await expect(
		admin.getByText('Decisions e-mailed: 2. The presenters have been told.')
	).toBeVisible();
	await expect(admin.getByText('No decisions are waiting to be sent.')).toBeVisible();
	const mine = await newestOutboxLink(
		browser,
		baseURL,
		firstPresenter.email,
		`Your lightning talk for ${event.name}: ${FIRST.title}`
	);
	expect(new URL(mine).pathname).toBe(`/e/${event.slug}/talks/mine`);
});

test('accepted talks go into the running order with their times, and onto the public programme', async ({
	browser,
	baseURL
}) => {
	await open(admin, `/manage/${event.slug}/talks/order`);
	await expectNoAxeViolations(admin);
	for (const talk of [FIRST, SECOND]) {
		// The event's only lightning-talk block is already chosen.
		await expect(admin.getByLabel(`Block for “${talk.title}”`)).toContainText(
			'Morning lightning talks'
		);
		await admin.getByRole('button', { name: 'Place at the end' }).first().click();
		// In the running order (the link alone is also in the list of talks without a place).
		await expect(
			admin.locator('section.block ol > li').filter({ hasText: talk.title })
		).toBeVisible();
	}
	await expect(
		admin.getByText('Every accepted talk has a place in the running order.')
	).toBeVisible();
	// Second before first, with the keyboard alternative to dragging.
	await admin.getByRole('button', { name: `Move “${SECOND.title}” earlier` }).click();
	const rows = admin.locator('section.block ol > li');
	await expect(rows.nth(0)).toContainText('09:30–09:35');
	await expect(rows.nth(0)).toContainText(SECOND.title);
	await expect(rows.nth(1)).toContainText('09:35–09:40');
	await expect(rows.nth(1)).toContainText(FIRST.title);

	const visitor = await browser.newContext({ baseURL, storageState: ANONYMOUS });
	contexts.push(visitor);
	const page = await visitor.newPage();
	await open(page, `/e/${event.slug}`);
	await page.getByRole('link', { name: 'Lightning talks' }).click();
	await expect(page).toHaveURL(`/e/${event.slug}/talks`);
	const talks = page.locator('li.talk');
	await expect(talks.nth(0)).toContainText(SECOND.title);
	await expect(talks.nth(0)).toContainText('09:30');
	await expect(talks.nth(1)).toContainText(FIRST.title);
	await expect(talks.nth(1)).toContainText('seed library');
	await expect(page.getByRole('link', { name: 'example.org/seeds' })).toBeVisible();
	// Nothing private: no e-mail addresses, no review notes.
	await expect(page.locator('main')).not.toContainText('@example.org');
	await expect(page.locator('main')).not.toContainText('Good fit for the morning');
	await expectNoAxeViolations(page);
	const feed = await page.request.get(`/e/${event.slug}/talks/calendar.ics`);
	expect(feed.headers()['content-type']).toContain('text/calendar');
	const ics = await feed.text();
	expect(ics.match(/BEGIN:VEVENT/g)).toHaveLength(2);
	expect(ics).toContain('DTSTART:20300710T083000Z');
});

test('the host runs two talks on stage; every programme shows what is on stage, live', async ({
	browser,
	baseURL
}) => {
	const visitor = await browser.newContext({ baseURL, storageState: ANONYMOUS });
	contexts.push(visitor);
	const programme = await visitor.newPage();
	await open(programme, `/e/${event.slug}/talks`);
	await expect(programme.getByText('On stage now:')).toHaveCount(0);

	const host = await organiser.newPage();
	await host.setViewportSize({ width: 1920, height: 1080 });
	await open(host, `/manage/${event.slug}/stage`);
	const stage = host.getByRole('region', { name: 'Stage' });
	await expect(stage).toContainText('Ready');
	await expectNoAxeViolations(host);

	await host.keyboard.press(' ');
	await expect(stage.getByRole('heading', { name: SECOND.title })).toBeVisible();
	await expect(stage.locator('.next')).toContainText(FIRST.title);
	await expect(stage).toContainText('1 / 2');
	// The countdown runs: 5:00 becomes 4:5x.
	await expect(stage).toContainText(/4:5\d/, { timeout: 15_000 });
	await expect(programme.getByRole('status').filter({ hasText: 'On stage now' })).toContainText(
		`On stage now: ${SECOND.title} — ${SECOND.presenters}`
	);
	await host.screenshot({ path: path.join(SCREENSHOTS, 'stage-1920.png') });

	await host.keyboard.press('ArrowRight');
	await expect(stage.getByRole('heading', { name: FIRST.title })).toBeVisible();
	await expect(stage).toContainText('2 / 2');
	await expect(stage).toContainText('5:00');
	await host.keyboard.press(' ');
	await expect(stage).toContainText(/4:5\d/, { timeout: 15_000 });
	await expect(programme.getByRole('status').filter({ hasText: 'On stage now' })).toContainText(
		`On stage now: ${FIRST.title}`
	);
	await programme.setViewportSize({ width: 390, height: 844 });
	await programme.screenshot({
		path: path.join(SCREENSHOTS, 'talks-programme-390.png'),
		fullPage: true
	});

	await host.keyboard.press('ArrowLeft');
	await expect(stage.getByRole('heading', { name: SECOND.title })).toBeVisible();
	await host.close();
});
