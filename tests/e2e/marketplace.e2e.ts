import path from 'node:path';
import { expect, test, type Browser, type BrowserContext, type Page } from '@playwright/test';
import {
	addBlock,
	addRoom,
	adminContext,
	ANONYMOUS,
	createTicketedEvent,
	expectFieldError,
	expectNoAxeViolations,
	newPerson,
	open,
	SCREENSHOTS,
	summerEvent,
	uniqueSlug,
	type Person,
	ticketHolder,
	cardOf
} from './helpers';

// The marketplace as OPEN ran it, on phones and on the wall: the facilitator opens a round,
// attendees propose (one without JavaScript), refine, and place dots while every other screen
// follows live; the vote closes, the agenda is generated and published, and an attendee builds
// their own agenda. Every new page gets an axe scan.

test.describe.configure({ mode: 'serial' });

const event = summerEvent({ slug: uniqueSlug('market') });
const ROUND = 'Thursday sessions';
const SEEDS = { title: 'Seed libraries', question: 'How do growers share seeds?' };
const MESH = { title: 'Mesh networks', question: 'Who keeps the estate online?' };

let organiser: BrowserContext;
let admin: Page;
let ana: Person;
let ben: Person;
let anaPage: Page;
let benPage: Page;
const contexts: BrowserContext[] = [];

/** A signed-up person with a free ticket, in a browser of their own. */
async function attendee(browser: Browser, baseURL: string | undefined, person: Person) {
	const { context } = await ticketHolder(browser, baseURL, event.slug, person);
	contexts.push(context);
	return context;
}

const card = cardOf;

test.beforeAll(async ({ browser, baseURL }) => {
	organiser = await adminContext(browser, baseURL);
	admin = await organiser.newPage();
	await createTicketedEvent(admin, event, [{ name: 'Community', pricing: 'Free' }]);
	await addRoom(admin, event.slug, { name: 'Beveridge Hall', seats: '80' });
	await addRoom(admin, event.slug, { name: 'Room G22', seats: '20' });
	for (const [title, start, end] of [
		['Session round 1', '11:30', '12:30'],
		['Session round 2', '13:30', '14:30']
	]) {
		await addBlock(admin, event.slug, { day: 0, kind: 'Session round', title, start, end });
	}
	ana = newPerson('Ana');
	ben = newPerson('Ben');
	anaPage = await (await attendee(browser, baseURL, ana)).newPage();
	benPage = await (await attendee(browser, baseURL, ben)).newPage();
});

test.afterAll(async () => {
	for (const context of contexts) await context.close();
	await organiser.close();
});

test('the facilitator adds a round; a bad budget is named and the title kept', async () => {
	await open(admin, `/manage/${event.slug}/marketplace`);
	await expect(admin.getByText('No rounds yet.')).toBeVisible();
	await expectNoAxeViolations(admin);
	const form = admin.getByRole('region', { name: 'Add a round' });
	await form.getByLabel('Title').fill(ROUND);
	await form.getByLabel('Dots per attendee').fill('0');
	await form.getByRole('button', { name: 'Add a round' }).click();
	await expectFieldError(form.getByLabel('Dots per attendee'), 'Please enter 1 or more.');
	await expect(form.getByLabel('Title')).toHaveValue(ROUND);
	await form.getByLabel('Dots per attendee').fill('3');
	await form.getByRole('button', { name: 'Add a round' }).click();
	await expect(admin.getByRole('heading', { level: 2, name: ROUND })).toBeVisible();
	await expect(
		admin.getByRole('list', { name: `Phases of ${ROUND}` }).locator('[aria-current="step"]')
	).toHaveText(/^Not open yet/);
});

test('a prepared round stays invisible to attendees until the facilitator opens it', async () => {
	await open(benPage, `/e/${event.slug}/marketplace`);
	await expect(benPage.getByText('The marketplace has not opened yet.')).toBeVisible();
	await expect(benPage.getByRole('heading', { name: ROUND })).toHaveCount(0);
	await expect(benPage.getByRole('region', { name: 'Propose a session' })).toHaveCount(0);

	await open(admin, `/manage/${event.slug}/marketplace`);
	await admin.getByRole('button', { name: 'Open for proposals' }).click();
	await expect(admin.getByText(`${ROUND} is open for proposals now.`)).toBeVisible();
	// Ben's phone follows without a reload.
	await expect(benPage.getByRole('heading', { level: 2, name: ROUND })).toBeVisible();
	await expect(benPage.getByRole('region', { name: 'Propose a session' })).toBeVisible();
});

test('an attendee proposes without JavaScript; the other phone shows it at once', async ({
	browser,
	baseURL
}) => {
	await open(benPage, `/e/${event.slug}/marketplace`);
	await expect(benPage.getByText('No proposals yet.')).toBeVisible();
	await expectNoAxeViolations(benPage);

	const context = await browser.newContext({
		baseURL,
		javaScriptEnabled: false,
		storageState: await anaPage.context().storageState()
	});
	contexts.push(context);
	const page = await context.newPage();
	await page.goto(`/e/${event.slug}/marketplace`);
	const form = page.getByRole('region', { name: 'Propose a session' });
	await form.getByLabel('Question').fill(SEEDS.question);
	await form.getByRole('button', { name: 'Post proposal' }).click();
	await expectFieldError(form.getByLabel('Title'), 'Please fill this in.');
	await expect(form.getByLabel('Question')).toHaveValue(SEEDS.question);
	await form.getByLabel('Title').fill(SEEDS.title);
	await form.getByRole('button', { name: 'Post proposal' }).click();
	await expect(card(page, SEEDS.title)).toBeVisible();

	// Ben's page was open all along: the proposal arrives without a reload.
	await expect(card(benPage, SEEDS.title)).toContainText(SEEDS.question);
	const benForm = benPage.getByRole('region', { name: 'Propose a session' });
	await benForm.getByLabel('Title').fill(MESH.title);
	await benForm.getByLabel('Question').fill(MESH.question);
	await benForm.getByRole('button', { name: 'Post proposal' }).click();
	await expect(card(benPage, MESH.title)).toBeVisible();
	await expect(benForm.getByLabel('Title')).toHaveValue('');
});

test('refining: a comment and "I\'d come" on the proposal page', async () => {
	await open(anaPage, `/e/${event.slug}/marketplace`);
	await card(anaPage, MESH.title).getByRole('link', { name: MESH.title }).click();
	await expect(anaPage.getByRole('heading', { level: 1, name: MESH.title })).toBeVisible();
	await expectNoAxeViolations(anaPage);
	await anaPage.getByLabel('Your comment').fill('We ran one on our estate: happy to help.');
	await anaPage.getByRole('button', { name: 'Post comment' }).click();
	await expect(anaPage.getByText('We ran one on our estate: happy to help.')).toBeVisible();
	await anaPage.getByRole('button', { name: /I'd come/ }).click();
	await expect(anaPage.getByRole('button', { name: /I'd come/ })).toHaveAttribute(
		'aria-pressed',
		'true'
	);
});

test('voting: dots placed on one phone show on the other and on the wall, live', async ({
	browser,
	baseURL
}) => {
	const wallContext = await browser.newContext({
		baseURL,
		storageState: ANONYMOUS,
		viewport: { width: 1920, height: 1080 }
	});
	contexts.push(wallContext);
	const wall = await wallContext.newPage();
	await open(wall, `/e/${event.slug}/wall`);
	await expect(wall.getByRole('img', { name: /QR code/ })).toBeVisible();

	await open(benPage, `/e/${event.slug}/marketplace`);
	await open(admin, `/manage/${event.slug}/marketplace`);
	await admin.getByRole('button', { name: 'Open refining' }).click();
	await expect(benPage.getByText('Refining', { exact: true }).first()).toBeVisible();
	await admin.getByRole('button', { name: 'Open voting' }).click();
	// The phase reaches Ben's phone and the wall without a reload.
	await expect(benPage.getByText('3 of 3 dots left', { exact: true })).toBeVisible();
	await expect(wall.getByText(/Place your dots: 3 each/)).toBeVisible();
	await expectNoAxeViolations(wall);

	await open(anaPage, `/e/${event.slug}/marketplace`);
	const seeds = card(anaPage, SEEDS.title);
	await seeds.getByRole('button', { name: /place a dot on “Seed libraries”/ }).click();
	await expect(seeds.getByText('Your dots here: 1 of 2')).toBeVisible();
	await seeds.getByRole('button', { name: /place a dot on “Seed libraries”/ }).click();
	await expect(seeds.getByText('Your dots here: 2 of 2')).toBeVisible();
	// The limit per proposal: the button is off and the budget shows what is left.
	await expect(seeds.getByRole('button', { name: /place a dot on/ })).toBeDisabled();
	await expect(anaPage.getByText('1 of 3 dots left', { exact: true })).toBeVisible();

	await expect(card(benPage, SEEDS.title).getByText('2', { exact: true })).toBeVisible();
	await expect(wall.getByRole('listitem').filter({ hasText: SEEDS.title })).toContainText('2');
	await wall.screenshot({ path: path.join(SCREENSHOTS, 'marketplace-wall-1920.png') });
	await expectNoAxeViolations(anaPage);
	await anaPage.setViewportSize({ width: 390, height: 844 });
	await anaPage.screenshot({
		path: path.join(SCREENSHOTS, 'marketplace-phone.png'),
		fullPage: true
	});
});

test('the vote closes, the agenda is generated and published, and reaches the attendees', async ({
	browser,
	baseURL
}) => {
	await open(admin, `/manage/${event.slug}/marketplace`);
	await admin.getByRole('button', { name: 'Close the vote' }).click();
	await expect(admin.getByText(`${ROUND}: the vote is closed.`)).toBeVisible();
	await expect(admin.getByRole('button', { name: 'Mark as scheduled' })).toHaveCount(0);
	await admin.getByRole('link', { name: 'Agenda for this round' }).click();
	await expect(admin.getByRole('heading', { level: 1, name: `Agenda: ${ROUND}` })).toBeVisible();
	await expectNoAxeViolations(admin);
	const blocks = admin.getByRole('group', { name: 'Session-round blocks this round fills' });
	await blocks.getByLabel(/Session round 1/).check();
	await blocks.getByLabel(/Session round 2/).check();
	await admin.getByRole('button', { name: 'Save blocks' }).click();
	await expect(admin.getByText('Blocks saved.')).toBeVisible();
	await admin.getByRole('button', { name: 'Generate agenda' }).click();
	await expect(admin.getByText('Agenda generated: 2 sessions placed, 0 left out.')).toBeVisible();
	// Two small sessions: each gets the smallest room that holds it, in a block of its own.
	const grid = admin.getByRole('table');
	await expect(grid.getByRole('row', { name: /Session round/ }).first()).toContainText(SEEDS.title);
	await expectNoAxeViolations(admin);
	await admin.setViewportSize({ width: 1280, height: 900 });
	await admin.screenshot({ path: path.join(SCREENSHOTS, 'agenda-editor.png'), fullPage: true });

	await open(benPage, `/e/${event.slug}/agenda`);
	await expect(benPage.getByText(/not published yet/)).toBeVisible();
	await admin.getByRole('button', { name: 'Publish agenda' }).click();
	await expect(admin.getByText(/This agenda is live/)).toBeVisible();
	// Ben's open page fills in by itself.
	await expect(card(benPage, SEEDS.title)).toContainText('Room G22 · 20 seats');
	await expectNoAxeViolations(benPage);

	// The wall now shows the next block's sessions room by room, and its QR opens the agenda.
	const wallContext = await browser.newContext({
		baseURL,
		storageState: ANONYMOUS,
		viewport: { width: 1920, height: 1080 }
	});
	contexts.push(wallContext);
	const wall = await wallContext.newPage();
	await open(wall, `/e/${event.slug}/wall`);
	await expect(
		wall.getByRole('heading', { level: 2, name: /^Next: Session round 1/ })
	).toBeVisible();
	await expect(wall.getByRole('listitem').filter({ hasText: 'Room G22' })).toContainText(
		SEEDS.title
	);
	await expect(wall.getByRole('link', { name: /\/agenda$/ }).first()).toBeVisible();
	await expectNoAxeViolations(wall);
	await wall.screenshot({ path: path.join(SCREENSHOTS, 'agenda-wall-1920.png') });
});

test('an attendee builds their own agenda and takes it to their calendar', async () => {
	await open(benPage, `/e/${event.slug}/agenda`);
	const mesh = card(benPage, MESH.title);
	await mesh.getByRole('button', { name: /I'll be there/ }).click();
	await expect(mesh.getByText("You said you'll be there.")).toBeVisible();
	await benPage.getByRole('link', { name: 'My agenda' }).click();
	await expect(benPage.getByRole('heading', { level: 1, name: 'My agenda' })).toBeVisible();
	await expect(benPage.getByRole('heading', { level: 2, name: MESH.title })).toBeVisible();
	// Ben convenes the mesh session, and is going to it; the seed session is not his.
	await expect(benPage.getByRole('heading', { level: 2, name: SEEDS.title })).toHaveCount(0);
	await expectNoAxeViolations(benPage);
	const download = benPage.waitForEvent('download');
	await benPage.getByRole('link', { name: 'Add my agenda to my calendar' }).click();
	const file = await (await download).path();
	const { readFile } = await import('node:fs/promises');
	const ics = await readFile(file, 'utf8');
	expect(ics).toContain(`SUMMARY:${MESH.title}`);
	expect(ics).not.toContain(SEEDS.title);

	await open(admin, `/manage/${event.slug}/marketplace/headcounts`);
	await expect(admin.getByRole('heading', { level: 1, name: 'Headcounts' })).toBeVisible();
	await expect(admin.getByRole('row', { name: /Room G22/ })).toContainText(SEEDS.title);
	await expectNoAxeViolations(admin);
});
