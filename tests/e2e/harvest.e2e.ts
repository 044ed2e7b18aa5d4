import { expect, test, type Browser, type BrowserContext, type Page } from '@playwright/test';
import {
	addBlock,
	addRoom,
	adminContext,
	ANONYMOUS,
	createTicketedEvent,
	expectNoAxeViolations,
	newPerson,
	open,
	orderTicket,
	signUp,
	summerEvent,
	uniqueSlug,
	type Person
} from './helpers';

// The harvest as a session's group writes it: two note-takers fill one note at the same time,
// with JavaScript, and neither loses a word.

test.describe.configure({ mode: 'serial' });

const event = summerEvent({ slug: uniqueSlug('harvest') });
const SEEDS = { title: 'Seed libraries', question: 'How do growers share seeds?' };

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
	const context = await browser.newContext({ baseURL, storageState: ANONYMOUS });
	contexts.push(context);
	const page = await context.newPage();
	await signUp(page, person);
	await open(page, `/e/${event.slug}/tickets`);
	await orderTicket(page);
	await expect(page.getByRole('heading', { level: 1, name: 'Your ticket' })).toBeVisible();
	return page;
}

/** One round, one proposal, through to a published agenda: the session the notes are about. */
async function publishedSession() {
	await open(admin, `/manage/${event.slug}/marketplace`);
	const form = admin.getByRole('region', { name: 'Add a round' });
	await form.getByLabel('Title').fill('Thursday sessions');
	await form.getByRole('button', { name: 'Add a round' }).click();
	await expect(admin.getByRole('heading', { level: 2, name: 'Thursday sessions' })).toBeVisible();

	await open(anaPage, `/e/${event.slug}/marketplace`);
	const propose = anaPage.getByRole('region', { name: 'Propose a session' });
	await propose.getByLabel('Title').fill(SEEDS.title);
	await propose.getByLabel('Question').fill(SEEDS.question);
	await propose.getByRole('button', { name: 'Post proposal' }).click();
	await expect(anaPage.getByRole('heading', { name: SEEDS.title })).toBeVisible();

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
	await expect(admin.getByText(/Agenda generated: 1 session placed/)).toBeVisible();
	await admin.getByRole('button', { name: 'Publish agenda' }).click();
	await expect(admin.getByText(/This agenda is live/)).toBeVisible();

	await open(anaPage, `/e/${event.slug}/agenda`);
	await anaPage.getByRole('link', { name: 'Harvest notes' }).first().click();
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
});
