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
	hydrated,
	newPerson,
	open,
	SCREENSHOTS,
	summerEvent,
	uniqueSlug,
	type Person,
	ticketHolder,
	cardOf
} from './helpers';

// The harvest as a session's group writes it: two note-takers fill one note at the same time,
// with JavaScript, and neither loses a word.

test.describe.configure({ mode: 'serial' });

const event = summerEvent({ slug: uniqueSlug('harvest') });
const SEEDS = { title: 'Seed libraries', question: 'How do growers share seeds?' };
const MESH = { title: 'Mesh networks', question: 'Who keeps the estate online?' };

let organiser: BrowserContext;
let admin: Page;
let ana: Person;
let ben: Person;
let anaPage: Page;
let benPage: Page;
let harvestPath: string;
const contexts: BrowserContext[] = [];

/** A signed-up person with a free ticket, in a browser of their own. */
async function attendee(browser: Browser, baseURL: string | undefined, person: Person) {
	const { context, page } = await ticketHolder(browser, baseURL, event.slug, person);
	contexts.push(context);
	return page;
}

const card = cardOf;

/** One round, two proposals, through to a published agenda: the session the notes are about. */
async function publishedSession() {
	await open(admin, `/manage/${event.slug}/marketplace`);
	const form = admin.getByRole('region', { name: 'Add a round' });
	await form.getByLabel('Title').fill('Thursday sessions');
	await form.getByRole('button', { name: 'Add a round' }).click();
	await expect(admin.getByRole('heading', { level: 2, name: 'Thursday sessions' })).toBeVisible();
	await admin.getByRole('button', { name: 'Open for proposals' }).click();
	await expect(admin.getByText('Thursday sessions is open for proposals now.')).toBeVisible();

	await open(anaPage, `/e/${event.slug}/marketplace`);
	const propose = anaPage.getByRole('region', { name: 'Propose a session' });
	await propose.getByLabel('Title').fill(SEEDS.title);
	await propose.getByLabel('Question').fill(SEEDS.question);
	await propose.getByRole('button', { name: 'Post proposal' }).click();
	await expect(anaPage.getByRole('heading', { name: SEEDS.title })).toBeVisible();
	// Ben convenes the other one: a convener is in one room per block.
	await open(benPage, `/e/${event.slug}/marketplace`);
	const benPropose = benPage.getByRole('region', { name: 'Propose a session' });
	await benPropose.getByLabel('Title').fill(MESH.title);
	await benPropose.getByLabel('Question').fill(MESH.question);
	await benPropose.getByRole('button', { name: 'Post proposal' }).click();
	await expect(benPage.getByRole('heading', { name: MESH.title })).toBeVisible();

	await open(admin, `/manage/${event.slug}/marketplace`);
	await admin.getByRole('button', { name: 'Open refining' }).click();
	await admin.getByRole('button', { name: 'Open voting' }).click();
	await admin.getByRole('button', { name: 'Close the vote' }).click();
	await admin.getByRole('link', { name: 'Agenda for this round' }).click();
	const blocks = admin.getByRole('group', { name: 'Session-round blocks this round fills' });
	await blocks.getByLabel(/Session round 1/).check();
	await admin.getByRole('button', { name: 'Save blocks' }).click();
	await expect(admin.getByText('Blocks saved.')).toBeVisible();
	await admin.getByRole('button', { name: 'Generate agenda' }).click();
	await expect(admin.getByText(/Agenda generated: 2 sessions placed/)).toBeVisible();
	await admin.getByRole('button', { name: 'Publish agenda' }).click();
	await expect(admin.getByText(/This agenda is live/)).toBeVisible();

	await open(anaPage, `/e/${event.slug}/agenda`);
	await card(anaPage, SEEDS.title).getByRole('link', { name: 'Harvest notes' }).click();
	await expect(
		anaPage.getByRole('heading', { level: 1, name: `Harvest notes: ${SEEDS.title}` })
	).toBeVisible();
	return new URL(anaPage.url()).pathname;
}

test.beforeAll(async ({ browser, baseURL }) => {
	organiser = await adminContext(browser, baseURL);
	admin = await organiser.newPage();
	await createTicketedEvent(admin, event, [{ name: 'Community', pricing: 'Free' }]);
	await addRoom(admin, event.slug, { name: 'Room G22', seats: '20' });
	await addRoom(admin, event.slug, { name: 'Beveridge Hall', seats: '80' });
	await addBlock(admin, event.slug, {
		day: 0,
		kind: 'Session round',
		title: 'Session round 1',
		start: '11:30',
		end: '12:30'
	});
	ana = newPerson('Ana');
	ben = newPerson('Ben');
	anaPage = await attendee(browser, baseURL, ana);
	benPage = await attendee(browser, baseURL, ben);
	harvestPath = await publishedSession();
});

test.afterAll(async () => {
	for (const context of contexts) await context.close();
	await organiser.close();
});

/** A button or link named "<verb>" plus, for screen readers, what it acts on. */
const named = (verb: string, title: string) => new RegExp(`^${verb}\\W+${title}$`);

const list = (page: Page, title: string) => page.getByRole('region', { name: title, exact: true });

test('two note-takers add insights at the same moment; both arrive on both screens', async () => {
	await open(anaPage, harvestPath);
	await open(benPage, harvestPath);
	await expectNoAxeViolations(anaPage);

	const anaInsights = list(anaPage, 'Key insights');
	const benInsights = list(benPage, 'Key insights');
	await anaInsights.getByLabel('Insight').fill('Libraries need a seed-saving calendar');
	await benInsights.getByLabel('Insight').fill('Swap days work best in early spring');
	await Promise.all([
		anaInsights.getByRole('button', { name: 'Add insight' }).click(),
		benInsights.getByRole('button', { name: 'Add insight' }).click()
	]);
	for (const insights of [anaInsights, benInsights]) {
		await expect(insights.getByRole('listitem')).toHaveCount(2);
		await expect(insights).toContainText('Libraries need a seed-saving calendar');
		await expect(insights).toContainText('Swap days work best in early spring');
	}

	const actions = list(benPage, 'Proposals and actions');
	await actions.getByLabel('Proposal or action').fill('Map the seed libraries in the city');
	await actions.getByLabel('Owner').fill('Ana');
	await actions.getByRole('button', { name: 'Add action' }).click();
	await expect(list(anaPage, 'Proposals and actions')).toContainText('Owner: Ana');
});

test('both write the question at once: the later save is shown both texts and merges them', async () => {
	const anaQuestion = anaPage.getByLabel('The question the group worked on');
	const benQuestion = benPage.getByLabel('The question the group worked on');
	// Both start from the same empty version; each draft saves itself after a pause in typing.
	await anaQuestion.fill('How can seeds travel between growers?');
	await benQuestion.fill('Who keeps the seeds?');
	const conflicted = async (page: Page) =>
		(await page.getByText(/Saved by someone else \(version 1\)/).count()) > 0;
	await expect
		.poll(async () => (await conflicted(anaPage)) || (await conflicted(benPage)), {
			timeout: 15_000
		})
		.toBe(true);
	const [loser, winner] = (await conflicted(anaPage)) ? [anaPage, benPage] : [benPage, anaPage];
	const mine = loser.getByLabel('The question the group worked on');
	const theirs = await winner.getByLabel('The question the group worked on').inputValue();
	// Nothing was lost: the refused text is still in the loser's field, the saved one beside it.
	expect(await mine.inputValue()).not.toBe(theirs);
	await expect(loser.getByText(theirs, { exact: true })).toBeVisible();
	const merged = `${theirs} And who keeps them?`;
	await mine.fill(merged);
	await loser.getByRole('button', { name: 'Save my text' }).click();
	await expect(loser.getByText('Saved.').first()).toBeVisible();
	await expect(winner.getByLabel('The question the group worked on')).toHaveValue(merged);
	await open(anaPage, harvestPath);
	await expect(anaPage.getByLabel('The question the group worked on')).toHaveValue(merged);
	await expectNoAxeViolations(anaPage);
	await anaPage.setViewportSize({ width: 390, height: 844 });
	await anaPage.screenshot({ path: path.join(SCREENSHOTS, 'harvest-phone.png'), fullPage: true });
	await anaPage.setViewportSize({ width: 1280, height: 720 });
});

test('continue the conversation: only people on the list see each other’s contacts', async () => {
	await open(benPage, `/e/${event.slug}/agenda`);
	await card(benPage, SEEDS.title).getByRole('link', { name: SEEDS.title, exact: true }).click();
	await expect(benPage.getByRole('heading', { level: 1, name: SEEDS.title })).toBeVisible();
	const benList = benPage.getByRole('region', { name: 'Who wants to continue' });
	// Ana is not on the list yet, so Ben sees nobody's contact.
	await open(anaPage, new URL(benPage.url()).pathname);
	const anaList = anaPage.getByRole('region', { name: 'Who wants to continue' });
	await anaList.getByLabel('Contact to share').fill('@ana@seeds.social');
	await anaList.getByRole('button', { name: 'Add me to the list' }).click();
	await expect(anaList.getByText('You are on the list.')).toBeVisible();
	await open(benPage, new URL(benPage.url()).pathname);
	await expect(benList).not.toContainText('@ana@seeds.social');
	await benList.getByLabel('Contact to share').fill('ben@example.net');
	await benList.getByRole('button', { name: 'Add me to the list' }).click();
	await expect(benList).toContainText('@ana@seeds.social');
	await expectNoAxeViolations(benPage);
});

test('the attendee directory lists only people who add themselves', async () => {
	await open(anaPage, `/e/${event.slug}`);
	await anaPage.getByRole('link', { name: 'Attendee directory' }).click();
	await expect(
		anaPage.getByRole('heading', { level: 1, name: 'Attendee directory' })
	).toBeVisible();
	await expect(anaPage.getByText('Nobody has added themselves yet. Be the first.')).toBeVisible();
	const entry = anaPage.getByRole('region', { name: 'Your entry' });
	await entry.getByLabel('Organisation or network').fill('Hackney Seed Library');
	await entry.getByLabel('What you offer').fill('Seeds and a saving calendar');
	await entry.getByLabel('What you are looking for').fill('A second site');
	await entry.getByRole('button', { name: 'Add me to the directory' }).click();
	await expect(entry.getByText('Your entry is in the directory.')).toBeVisible();
	await expectNoAxeViolations(anaPage);

	await open(benPage, `/e/${event.slug}/directory`);
	const people = benPage.getByRole('region', { name: 'Who is here' });
	await expect(people.getByRole('article')).toHaveCount(1);
	await expect(people).toContainText('Hackney Seed Library');
	await expect(people).not.toContainText(ben.name);
	await expect(people).not.toContainText(ana.email);
});

test('the closing plenary steps through the harvests, by keyboard, on the projector', async ({
	browser,
	baseURL
}) => {
	// The facilitators write up the second session themselves.
	await open(admin, `/e/${event.slug}/agenda`);
	await card(admin, MESH.title).getByRole('link', { name: 'Harvest notes' }).click();
	await admin.getByLabel('The question the group worked on').fill(MESH.question);
	await admin.getByRole('button', { name: /^Save\b.*The question the group worked on/ }).click();
	await expect(admin.getByText('Saved.').first()).toBeVisible();
	const insights = list(admin, 'Key insights');
	await insights.getByLabel('Insight').fill('Every block needs one rooftop node');
	await insights.getByRole('button', { name: 'Add insight' }).click();
	await expect(insights.getByRole('listitem')).toHaveCount(1);

	const projector = await browser.newContext({
		baseURL,
		storageState: await organiser.storageState(),
		viewport: { width: 1920, height: 1080 }
	});
	contexts.push(projector);
	const wall = await projector.newPage();
	await open(wall, `/manage/${event.slug}/harvest`);
	await wall.getByRole('link', { name: 'Closing plenary view' }).click();
	await hydrated(wall);
	await expect(wall.getByText('1 of 2')).toBeVisible();
	const slide = wall.getByRole('heading', { level: 2 });
	const first = await slide.textContent();
	await wall.keyboard.press('ArrowRight');
	await expect(wall.getByText('2 of 2')).toBeVisible();
	await expect(slide).not.toHaveText(first ?? '');
	await wall.keyboard.press('Home');
	await expect(wall.getByText('1 of 2')).toBeVisible();
	await wall.keyboard.press('End');
	await expect(wall.getByText('2 of 2')).toBeVisible();
	await wall.keyboard.press('ArrowLeft');
	await expect(wall.getByText('1 of 2')).toBeVisible();
	// Find the seed-library slide: its question, insights and the action with its owner.
	if ((await slide.textContent()) !== SEEDS.title) await wall.keyboard.press('ArrowRight');
	await expect(slide).toHaveText(SEEDS.title);
	await expect(wall.getByText('Swap days work best in early spring')).toBeVisible();
	await expect(wall.getByText('Map the seed libraries in the city')).toBeVisible();
	await expect(wall.getByText(/owner: Ana/)).toBeVisible();
	await expectNoAxeViolations(wall);
	await wall.screenshot({ path: path.join(SCREENSHOTS, 'plenary-1920.png') });
});

test('the organiser reviews, hides one note, publishes the report and downloads it', async ({
	browser,
	baseURL
}) => {
	await open(admin, `/manage/${event.slug}/harvest`);
	await expect(admin.getByRole('heading', { level: 1, name: 'Harvest review' })).toBeVisible();
	await expectNoAxeViolations(admin);
	for (const title of [SEEDS.title, MESH.title]) {
		await admin.getByRole('button', { name: named('Mark complete', title) }).click();
		await expect(admin.getByRole('button', { name: named('Reopen', title) })).toBeVisible();
	}
	await admin.getByRole('button', { name: named('Hide', MESH.title) }).click();
	await expect(admin.getByRole('button', { name: named('Show again', MESH.title) })).toBeVisible();
	await expect(admin.getByLabel(/Creative Commons Attribution-ShareAlike 4\.0/)).toBeChecked();

	const reader = await browser.newContext({ baseURL, storageState: ANONYMOUS });
	contexts.push(reader);
	const visitor = await reader.newPage();
	const notYet = await visitor.goto(`/e/${event.slug}/report`);
	expect(notYet?.status()).toBe(404);

	await admin.getByRole('button', { name: 'Publish the report' }).click();
	await expect(admin.getByText('The report is published.')).toBeVisible();

	await open(visitor, `/e/${event.slug}`);
	await visitor.getByRole('link', { name: 'Harvest report' }).click();
	await expect(
		visitor.getByRole('heading', { level: 1, name: `Harvest report: ${event.name}` })
	).toBeVisible();
	await expect(visitor.getByRole('heading', { name: SEEDS.title })).toBeVisible();
	await expect(visitor.getByText('Map the seed libraries in the city').first()).toBeVisible();
	// The hidden note is nowhere: not on the page, not in either download.
	await expect(visitor.getByText('Every block needs one rooftop node')).toHaveCount(0);
	await expect(visitor.getByRole('link', { name: /CC BY-SA 4\.0/ })).toBeVisible();
	await expectNoAxeViolations(visitor);

	const { readFile } = await import('node:fs/promises');
	const downloaded = async (name: string) => {
		const download = visitor.waitForEvent('download');
		await visitor.getByRole('link', { name }).click();
		return readFile(await (await download).path(), 'utf8');
	};
	const markdown = await downloaded('Download as Markdown');
	expect(markdown).toContain(`# Harvest report: ${event.name}`);
	expect(markdown).toContain('Map the seed libraries in the city');
	expect(markdown).toContain('CC BY-SA 4.0');
	expect(markdown).not.toContain('Every block needs one rooftop node');
	const json = await downloaded('Download as JSON');
	expect(json).toContain('Swap days work best in early spring');
	expect(json).not.toContain('Every block needs one rooftop node');
	expect(JSON.parse(json).licence).toBeTruthy();

	await visitor.emulateMedia({ media: 'print' });
	await visitor.screenshot({ path: path.join(SCREENSHOTS, 'report-print.png'), fullPage: true });
	await expect(visitor.getByRole('link', { name: 'Download as Markdown' })).toBeHidden();
	await visitor.emulateMedia({ media: 'screen' });
});

test('a person downloads their data and deletes their account; the shared notes stay', async () => {
	await open(benPage, '/');
	await benPage.getByRole('link', { name: 'Your data' }).click();
	await expect(
		benPage.getByRole('heading', { level: 1, name: 'Your account and your data' })
	).toBeVisible();
	await expectNoAxeViolations(benPage);
	const download = benPage.waitForEvent('download');
	await benPage.getByRole('link', { name: 'Download my data (JSON)' }).click();
	const { readFile } = await import('node:fs/promises');
	const mine = JSON.parse(await readFile(await (await download).path(), 'utf8'));
	expect(mine.profile.email).toBe(ben.email);
	expect(JSON.stringify(mine)).toContain('Swap days work best in early spring');

	const confirm = benPage.getByLabel('Type your e-mail address to confirm');
	await confirm.fill('someone-else@example.org');
	await benPage.getByRole('button', { name: 'Delete my account for good' }).click();
	await expectFieldError(confirm, 'That is not the e-mail address of this account.');
	await expect(confirm).toHaveValue('someone-else@example.org');
	await confirm.fill(ben.email);
	await benPage.getByRole('button', { name: 'Delete my account for good' }).click();
	await expect(
		benPage.getByRole('heading', { level: 1, name: 'Your account is deleted' })
	).toBeVisible();
	await expect(benPage.getByRole('link', { name: 'Sign in' })).toBeVisible();
	await expectNoAxeViolations(benPage);

	// Ben's insight stays in the group's notes; his contact is gone from the list.
	await open(anaPage, harvestPath);
	await expect(list(anaPage, 'Key insights')).toContainText('Swap days work best in early spring');
	await expect(anaPage.getByRole('region', { name: 'Who wants to continue' })).not.toContainText(
		'ben@example.net'
	);
	await expect(anaPage.getByText(ben.name)).toHaveCount(0);
});
