import { expect, test, type Browser, type BrowserContext, type Page } from '@playwright/test';
import {
	addBlock,
	addRoom,
	adminContext,
	ANONYMOUS,
	cardOf,
	createTicketedEvent,
	expectNoAxeViolations,
	hydrated,
	newPerson,
	open,
	summerEvent,
	ticketHolder,
	uniqueSlug,
	type Person
} from './helpers';

// Venue wifi: Ana's phone loses the connection. What she read before opens without it, what she
// does meanwhile waits on the phone and arrives once when the connection is back; a dot her
// other phone made impossible meanwhile comes back refused. A browser that blocks service
// workers works as before.

test.describe.configure({ mode: 'serial' });

// The event is today, in UTC, with a session block around now, so "I'm here" is offered.
const now = new Date();
const today = now.toISOString().slice(0, 10);
const hhmm = (d: Date) => d.toISOString().slice(11, 16);
const blockStart = hhmm(
	new Date(Math.max(now.getTime() - 3_600_000, Date.parse(`${today}T00:00Z`)))
);
const blockEnd = hhmm(
	new Date(Math.min(now.getTime() + 3 * 3_600_000, Date.parse(`${today}T23:59Z`)))
);
const event = summerEvent({
	slug: uniqueSlug('offline'),
	startDate: today,
	endDate: today,
	timeZone: 'UTC'
});
const SEEDS = { title: 'Seed libraries', question: 'How do growers share seeds?' };
const GOING = "You said you'll be there.";
const BIKES = { title: 'Bike repair', question: 'Can we fix bikes together?' };
const TOOLS = { title: 'Tool library', question: 'Who lends which tools?' };

let organiser: BrowserContext;
let admin: Page;
let ana: Person;
let phone: BrowserContext;
let anaPage: Page;
let otherPhone: BrowserContext;
let anaOther: Page;
let ticketPath: string;
let harvestPath: string;
const contexts: BrowserContext[] = [];

async function propose(page: Page, proposal: { title: string; question: string }) {
	await open(page, `/e/${event.slug}/marketplace`);
	const form = page.getByRole('region', { name: 'Propose a session' });
	await form.getByLabel('Title').fill(proposal.title);
	await form.getByLabel('Question').fill(proposal.question);
	await form.getByRole('button', { name: 'Post proposal' }).click();
	await expect(page.getByRole('heading', { name: proposal.title })).toBeVisible();
}

async function addRound(title: string, budget: string, limit: string) {
	await open(admin, `/manage/${event.slug}/marketplace`);
	const form = admin.getByRole('region', { name: 'Add a round' });
	await form.getByLabel('Title').fill(title);
	await form.getByLabel('Dots per attendee').fill(budget);
	await form.getByLabel('Most dots on one proposal').fill(limit);
	await form.getByRole('button', { name: 'Add a round' }).click();
	const round = admin.getByRole('article', { name: title });
	await round.getByRole('button', { name: 'Open for proposals' }).click();
	await expect(admin.getByText(`${title} is open for proposals now.`)).toBeVisible();
	return round;
}

/** Round one is done and on the agenda (for "I'm here" and the harvest); round two is voting. */
async function rounds() {
	const first = await addRound('Morning sessions', '5', '2');
	await propose(anaOther, SEEDS);
	await open(admin, `/manage/${event.slug}/marketplace`);
	await first.getByRole('button', { name: 'Open refining' }).click();
	await first.getByRole('button', { name: 'Open voting' }).click();
	await first.getByRole('button', { name: 'Close the vote' }).click();
	await first.getByRole('link', { name: 'Agenda for this round' }).click();
	const blocks = admin.getByRole('group', { name: 'Session-round blocks this round fills' });
	await blocks.getByLabel(/Session round 1/).check();
	await admin.getByRole('button', { name: 'Save blocks' }).click();
	await expect(admin.getByText('Blocks saved.')).toBeVisible();
	await admin.getByRole('button', { name: 'Generate agenda' }).click();
	await expect(admin.getByText(/Agenda generated: 1 session placed/)).toBeVisible();
	await admin.getByRole('button', { name: 'Publish agenda' }).click();
	await expect(admin.getByText(/This agenda is live/)).toBeVisible();

	const second = await addRound('Afternoon round', '4', '2');
	await propose(anaOther, BIKES);
	await propose(anaOther, TOOLS);
	await open(admin, `/manage/${event.slug}/marketplace`);
	await second.getByRole('button', { name: 'Open refining' }).click();
	await second.getByRole('button', { name: 'Open voting' }).click();
	await expect(second.getByRole('button', { name: 'Close the vote' })).toBeVisible();
}

/** Ana signed in on a second phone with her password. */
async function signIn(browser: Browser, baseURL: string | undefined, person: Person) {
	const context = await browser.newContext({
		baseURL,
		storageState: ANONYMOUS,
		serviceWorkers: 'block'
	});
	const page = await context.newPage();
	await open(page, '/signin');
	const form = page.getByRole('form', { name: 'With your password' });
	await form.getByLabel('E-mail address').fill(person.email);
	await form.getByLabel('Password').fill(person.password);
	await form.getByRole('button', { name: 'Sign in' }).click();
	await expect(page).toHaveURL('/tickets');
	return { context, page };
}

test.beforeAll(async ({ browser, baseURL }) => {
	// Two rounds through to a published agenda take a while on a busy machine.
	test.setTimeout(600_000);
	organiser = await adminContext(browser, baseURL);
	admin = await organiser.newPage();
	await createTicketedEvent(admin, event, [{ name: 'Community', pricing: 'Free' }]);
	await addRoom(admin, event.slug, { name: 'Room G22', seats: '20' });
	await addRoom(admin, event.slug, { name: 'Beveridge Hall', seats: '80' });
	await addBlock(admin, event.slug, {
		day: 0,
		kind: 'Session round',
		title: 'Session round 1',
		start: blockStart,
		end: blockEnd
	});
	ana = newPerson('Ana');
	({ context: phone, page: anaPage } = await ticketHolder(browser, baseURL, event.slug, ana));
	ticketPath = new URL(anaPage.url()).pathname;
	({ context: otherPhone, page: anaOther } = await signIn(browser, baseURL, ana));
	contexts.push(phone, otherPhone);
	await rounds();
	await open(anaOther, `/e/${event.slug}/agenda`);
	await cardOf(anaOther, SEEDS.title).getByRole('link', { name: 'Harvest notes' }).click();
	await expect(anaOther.getByRole('heading', { level: 1, name: /^Harvest notes/ })).toBeVisible();
	harvestPath = new URL(anaOther.url()).pathname;
});

test.afterAll(async () => {
	for (const context of contexts) await context.close();
	await organiser.close();
});

const outboxItems = (page: Page) =>
	page.getByRole('region', { name: 'Your actions sent from this phone' }).getByRole('listitem');
const insights = (page: Page) => page.getByRole('region', { name: 'Key insights', exact: true });
const roundCard = (page: Page, title: string) => cardOf(page, title);

test('the event, the ticket and the agenda open offline; actions made offline arrive once', async () => {
	test.setTimeout(300_000);
	// Online first: the service worker takes over and keeps the pages Ana reads.
	await open(anaPage, `/e/${event.slug}`);
	await anaPage.evaluate(async () => {
		await navigator.serviceWorker.ready;
	});
	await anaPage.reload();
	await expect.poll(() => anaPage.evaluate(() => !!navigator.serviceWorker.controller)).toBe(true);
	const pages = [
		`/e/${event.slug}`,
		ticketPath,
		`/e/${event.slug}/agenda`,
		`/e/${event.slug}/agenda/mine`,
		`/e/${event.slug}/marketplace`,
		harvestPath
	];
	for (const path of pages) await open(anaPage, path);

	await phone.setOffline(true);
	await anaPage.goto(`/e/${event.slug}`);
	await expect(anaPage.getByRole('heading', { level: 1, name: event.name })).toBeVisible();
	await hydrated(anaPage);
	await expect(anaPage.getByText(/You are offline/)).toBeVisible();
	await expect(anaPage.getByTestId('saved-at')).toContainText('This page is as it was on');

	await anaPage.goto(ticketPath);
	await expect(anaPage.getByRole('heading', { level: 1, name: 'Your ticket' })).toBeVisible();
	const qr = anaPage.getByRole('img', { name: `QR code to check ${ana.name} in at the door` });
	await expect(qr.locator('svg path').first()).toBeAttached();

	await anaPage.goto(`/e/${event.slug}/agenda`);
	await hydrated(anaPage);
	await expect(cardOf(anaPage, SEEDS.title)).toBeVisible();

	// Three dots: two on one proposal, one on the other.
	await anaPage.goto(`/e/${event.slug}/marketplace`);
	await hydrated(anaPage);
	const dot = (title: string) =>
		roundCard(anaPage, title).getByRole('button', { name: /place a dot on/ });
	await dot(BIKES.title).click();
	await expect(outboxItems(anaPage)).toHaveCount(1);
	await dot(BIKES.title).click();
	await expect(outboxItems(anaPage)).toHaveCount(2);
	await dot(TOOLS.title).click();
	await expect(outboxItems(anaPage)).toHaveCount(3);

	await anaPage.goto(`/e/${event.slug}/agenda`);
	await hydrated(anaPage);
	await cardOf(anaPage, SEEDS.title)
		.getByRole('button', { name: /^I'm here/ })
		.click();
	await expect(outboxItems(anaPage)).toHaveCount(4);

	await anaPage.goto(harvestPath);
	await hydrated(anaPage);
	for (const text of ['Seed swaps need a calendar', 'Growers trust neighbours first']) {
		await insights(anaPage).getByLabel('Insight').fill(text);
		await insights(anaPage).getByRole('button', { name: 'Add insight' }).click();
		await expect(insights(anaPage).getByLabel('Insight')).toHaveValue('');
	}
	await expect(outboxItems(anaPage)).toHaveCount(6);
	await expect(anaPage.locator('[data-status="pending"]')).toHaveCount(6);

	// Meanwhile her other phone, online, spends two of her four dots on the other proposal.
	await open(anaOther, `/e/${event.slug}/marketplace`);
	for (let i = 0; i < 2; i++) {
		await roundCard(anaOther, TOOLS.title)
			.getByRole('button', { name: /place a dot on/ })
			.click();
		await expect(roundCard(anaOther, TOOLS.title)).toContainText(`Your dots here: ${i + 1} of 2`);
	}

	await phone.setOffline(false);
	await expect(anaPage.locator('[data-status="done"]')).toHaveCount(5);
	const refused = anaPage.locator('[data-status="refused"]');
	await expect(refused).toHaveCount(1);
	await expect(refused).toContainText(TOOLS.title);
	await expect(refused).toContainText('You have placed all your dots in this round.');
	// The harvest on this screen is current: both insights, once each.
	await expect(insights(anaPage).getByRole('listitem')).toHaveCount(2);
	await expectNoAxeViolations(anaPage);

	// Every screen agrees on what arrived, once.
	for (const page of [anaPage, anaOther]) {
		await open(page, `/e/${event.slug}/marketplace`);
		await expect(roundCard(page, BIKES.title)).toContainText('Your dots here: 2 of 2');
		await expect(roundCard(page, TOOLS.title)).toContainText('Your dots here: 2 of 2');
		await open(page, harvestPath);
		await expect(insights(page).getByRole('listitem')).toHaveCount(2);
		await expect(insights(page)).toContainText('Seed swaps need a calendar');
		await expect(insights(page)).toContainText('Growers trust neighbours first');
		await open(page, `/e/${event.slug}/agenda`);
		await expect(cardOf(page, SEEDS.title)).toContainText('You are here now.');
		await expect(cardOf(page, SEEDS.title)).toContainText('1 here now');
	}
});

test('with service workers blocked, the forms work as before', async () => {
	await expect
		.poll(() => anaOther.evaluate(() => !!navigator.serviceWorker?.controller))
		.toBe(false);
	await open(anaOther, harvestPath);
	await insights(anaOther)
		.getByRole('textbox', { name: 'Insight' })
		.fill('Libraries lend seeds like books');
	await insights(anaOther).getByRole('button', { name: 'Add insight' }).click();
	await expect(insights(anaOther).getByRole('listitem')).toHaveCount(3);
	await open(anaOther, `/e/${event.slug}/agenda`);
	await cardOf(anaOther, SEEDS.title)
		.getByRole('button', { name: /^I'll be there/ })
		.click();
	await expect(cardOf(anaOther, SEEDS.title)).toContainText(GOING);
	await anaOther.reload();
	await expect(cardOf(anaOther, SEEDS.title)).toContainText(GOING);
	await expect(outboxItems(anaOther)).toHaveCount(0);
});
