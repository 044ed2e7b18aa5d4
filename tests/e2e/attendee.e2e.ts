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
	newestOutboxLink,
	newPerson,
	open,
	orderTicket,
	signUp,
	summerEvent,
	uniqueSlug,
	type Person
} from './helpers';

// The attendee's path on a phone (390×844): a free ticket whose confirmation is in view at once,
// signing in from a proposal and landing back on it, and the event page that knows its holder.

test.describe.configure({ mode: 'serial' });

const PHONE = { width: 390, height: 844 };
const event = summerEvent({ slug: uniqueSlug('path') });
const ROUND = 'Morning round';
const TITLE = 'Repair cafés';

let organiser: BrowserContext;
let ana: Person;
let anaContext: BrowserContext;
let anaPage: Page;
let proposalPath: string;
const contexts: BrowserContext[] = [];

const phone = async (browser: Browser, baseURL: string | undefined) => {
	const context = await browser.newContext({ baseURL, storageState: ANONYMOUS, viewport: PHONE });
	contexts.push(context);
	return context;
};

test.beforeAll(async ({ browser, baseURL }) => {
	organiser = await adminContext(browser, baseURL);
	const admin = await organiser.newPage();
	await createTicketedEvent(admin, event, [{ name: 'Community', pricing: 'Free' }]);
	await addRoom(admin, event.slug, { name: 'Beveridge Hall', seats: '80' });
	await addBlock(admin, event.slug, {
		day: 0,
		kind: 'Session round',
		title: 'Session round 1',
		start: '11:30',
		end: '12:30'
	});
	await open(admin, `/manage/${event.slug}/marketplace`);
	const form = admin.getByRole('region', { name: 'Add a round' });
	await form.getByLabel('Title').fill(ROUND);
	await form.getByLabel('Dots per attendee').fill('3');
	await form.getByRole('button', { name: 'Add a round' }).click();
	await expect(admin.getByRole('heading', { level: 2, name: ROUND })).toBeVisible();
	await admin.getByRole('button', { name: 'Open for proposals' }).click();
	await expect(admin.getByText(`${ROUND} is open for proposals now.`)).toBeVisible();

	// Ana, on her phone, signs up, gets a ticket and proposes a session.
	ana = newPerson('Ana');
	anaContext = await phone(browser, baseURL);
	anaPage = await anaContext.newPage();
	await signUp(anaPage, ana);
	await open(anaPage, `/e/${event.slug}/tickets`);
	await orderTicket(anaPage);
	await expect(anaPage.getByRole('heading', { level: 1, name: 'Your ticket' })).toBeVisible();
	await open(anaPage, `/e/${event.slug}/marketplace`);
	const propose = anaPage.getByRole('region', { name: 'Propose a session' });
	await propose.getByLabel('Title').fill(TITLE);
	await propose.getByLabel('Question').fill('How do we fix things together?');
	await propose.getByRole('button', { name: 'Post proposal' }).click();
	await expect(cardOf(anaPage, TITLE)).toBeVisible();
	// The card's title leads to the proposal's page.
	const href = await cardOf(anaPage, TITLE).getByRole('link', { name: TITLE }).getAttribute('href');
	await open(anaPage, href!);
	await expect(anaPage).toHaveURL(/\/marketplace\/\d+$/);
	proposalPath = new URL(anaPage.url()).pathname;
});

test.afterAll(async () => {
	for (const context of contexts) await context.close();
	await organiser.close();
});

test('a free ticket on a phone: the confirmation is on screen without scrolling', async ({
	browser,
	baseURL
}) => {
	const page = await (await phone(browser, baseURL)).newPage();
	const person = newPerson('Bea');
	await open(page, `/e/${event.slug}/tickets`);
	await hydrated(page);
	await orderTicket(page, { name: person.name, email: person.email });
	const status = page.getByRole('status').filter({ hasText: 'Almost there' });
	await expect(status).toContainText(person.email);
	await expect(status).toBeInViewport();
	await expectNoAxeViolations(page);
});

test('signing in from a proposal page comes back to it, by password and by e-mailed link', async ({
	browser,
	baseURL
}) => {
	const page = await (await phone(browser, baseURL)).newPage();
	await open(page, proposalPath);
	await expect(page.getByRole('heading', { level: 1, name: TITLE })).toBeVisible();
	await page.getByRole('banner').getByRole('link', { name: 'Sign in' }).click();
	const form = page.getByRole('form', { name: 'With your password' });
	await form.getByLabel('E-mail address').fill(ana.email);
	await form.getByLabel('Password').fill(ana.password);
	await form.getByRole('button', { name: 'Sign in' }).click();
	await expect(page).toHaveURL(proposalPath);
	await expect(page.getByRole('banner')).toContainText(`Signed in as ${ana.name}`);

	// The e-mailed link, asked for from the same page, returns there too.
	const other = await (await phone(browser, baseURL)).newPage();
	await open(other, proposalPath);
	await other.getByRole('banner').getByRole('link', { name: 'Sign in' }).click();
	const linkForm = other.getByRole('form', { name: 'With a link by e-mail' });
	await hydrated(other);
	await linkForm.getByLabel('E-mail address').fill(ana.email);
	await linkForm.getByRole('button', { name: 'E-mail me a link' }).click();
	await expect(linkForm.getByRole('status')).toContainText(ana.email);
	await expect(linkForm.getByRole('status')).toBeInViewport();
	const link = await newestOutboxLink(browser, baseURL, ana.email, 'Your Commonspace sign-in link');
	await open(other, link);
	await other.getByRole('main').getByRole('button', { name: 'Sign in' }).click();
	await expect(other).toHaveURL(proposalPath);

	// With nowhere to return to, an attendee lands on their tickets.
	const third = await (await phone(browser, baseURL)).newPage();
	await open(third, '/signin');
	const plain = third.getByRole('form', { name: 'With your password' });
	await plain.getByLabel('E-mail address').fill(ana.email);
	await plain.getByLabel('Password').fill(ana.password);
	await plain.getByRole('button', { name: 'Sign in' }).click();
	await expect(third).toHaveURL('/tickets');
});

test('the event page for a ticket holder, and for everyone else', async ({ browser, baseURL }) => {
	await open(anaPage, `/e/${event.slug}`);
	const mine = anaPage.getByRole('region', { name: 'Your day at the event' });
	await expect(mine).toContainText('You have a ticket.');
	await expect(
		mine.getByRole('img', { name: `QR code to check ${ana.name} in at the door` })
	).toBeVisible();
	await expect(mine.getByRole('link', { name: `Marketplace open: ${ROUND}` })).toBeVisible();
	await expect(mine.getByRole('heading', { name: 'Next' })).toBeVisible();
	await expect(mine).toContainText('Session round 1');
	await expect(mine.getByRole('link', { name: 'Your agenda and its calendar feed' })).toBeVisible();
	await expectNoAxeViolations(anaPage);

	const stranger = await (await phone(browser, baseURL)).newPage();
	await open(stranger, `/e/${event.slug}`);
	await expect(stranger.getByRole('region', { name: 'Your day at the event' })).toHaveCount(0);
	await expect(
		stranger.getByRole('main').getByRole('link', { name: 'Tickets', exact: true })
	).toBeVisible();
	await expectNoAxeViolations(stranger);
});
