import path from 'node:path';
import {
	expect,
	test,
	type Browser,
	type BrowserContext,
	type Locator,
	type Page
} from '@playwright/test';
import {
	addBlock,
	addRoom,
	adminContext,
	cardOf,
	createTicketedEvent,
	expectNoAxeViolations,
	newPerson,
	open,
	SCREENSHOTS,
	summerEvent,
	ticketHolder,
	uniqueSlug
} from './helpers';

// The facilitator shapes a round's agenda on the board: cards dragged onto empty cells and onto
// each other, the same by keyboard alone, a full room flagged as it happens and undone, and a
// second facilitator's screen following every move.

test.describe.configure({ mode: 'serial' });

const event = summerEvent({ slug: uniqueSlug('board') });
const ROUND = 'Friday sessions';
const TITLES = ['Seed libraries', 'Mesh networks', 'Repair cafés', 'Time banks'];
const [SEEDS, MESH, REPAIR, TIME] = TITLES;

let organiser: BrowserContext;
let admin: Page;
const contexts: BrowserContext[] = [];
let agendaUrl = '';
const agendaPath = () => agendaUrl;

async function attendee(browser: Browser, baseURL: string | undefined, name: string) {
	const { context, page } = await ticketHolder(browser, baseURL, event.slug, newPerson(name));
	contexts.push(context);
	return page;
}

const board = (page: Page) => page.getByRole('region', { name: 'Rooms by blocks' });
const cellOf = (page: Page, title: string) =>
	board(page)
		.locator('td[data-slot]')
		.filter({ has: page.getByRole('heading', { name: title }) });
const slotOf = async (page: Page, title: string) =>
	(await cellOf(page, title).getAttribute('data-slot'))!;
/** The row (block) a session is in. Ana convenes every proposal, so moves stay in their row. */
const rowOf = (page: Page, title: string) =>
	board(page)
		.locator('tbody tr')
		.filter({ has: page.getByRole('heading', { name: title }) });
const emptyCells = (row: Locator) => row.locator('td[data-slot]').filter({ hasText: 'Empty' });
const moveButton = (page: Page, title: string) =>
	page.getByRole('button', { name: `Move “${title}”`, exact: true });

/** Press on `handle`, drag it over `target` with the mouse and let go there. */
async function drag(page: Page, handle: Locator, target: Locator) {
	await target.scrollIntoViewIfNeeded();
	await handle.scrollIntoViewIfNeeded();
	const from = (await handle.boundingBox())!;
	const to = (await target.boundingBox())!;
	await page.mouse.move(from.x + from.width / 2, from.y + from.height / 2);
	await page.mouse.down();
	await page.mouse.move(from.x + from.width / 2 + 12, from.y + from.height / 2 + 12, { steps: 3 });
	await page.mouse.move(to.x + to.width / 2, to.y + to.height / 2, { steps: 12 });
	await page.mouse.up();
}

test.beforeAll(async ({ browser, baseURL }) => {
	test.setTimeout(480_000);
	organiser = await adminContext(browser, baseURL);
	admin = await organiser.newPage();
	await createTicketedEvent(admin, event, [{ name: 'Community', pricing: 'Free' }]);
	for (const [name, seats] of [
		['Great Hall', '80'],
		['Library', '30'],
		['Studio', '20'],
		['Garden room', '10'],
		['Cupboard', '1']
	]) {
		await addRoom(admin, event.slug, { name, seats });
	}
	for (const [i, [start, end]] of [
		['10:00', '10:50'],
		['11:00', '11:50'],
		['14:00', '14:50'],
		['15:00', '15:50']
	].entries()) {
		await addBlock(admin, event.slug, {
			day: 0,
			kind: 'Session round',
			title: `Round ${i + 1}`,
			start,
			end
		});
	}
	await open(admin, `/manage/${event.slug}/marketplace`);
	const add = admin.getByRole('region', { name: 'Add a round' });
	await add.getByLabel('Title').fill(ROUND);
	await add.getByLabel('Dots per attendee').fill('3');
	await add.getByRole('button', { name: 'Add a round' }).click();
	await expect(admin.getByRole('heading', { level: 2, name: ROUND })).toBeVisible();
	await admin.getByRole('button', { name: 'Open for proposals' }).click();
	await expect(admin.getByText(`${ROUND} is open for proposals now.`)).toBeVisible();

	const ana = await attendee(browser, baseURL, 'Ana');
	const ben = await attendee(browser, baseURL, 'Ben');
	await open(ana, `/e/${event.slug}/marketplace`);
	const propose = ana.getByRole('region', { name: 'Propose a session' });
	for (const title of TITLES) {
		await propose.getByLabel('Title').fill(title);
		await propose.getByLabel('Question').fill(`What about ${title.toLowerCase()}?`);
		await propose.getByRole('button', { name: 'Post proposal' }).click();
		await expect(cardOf(ana, title)).toBeVisible();
		await expect(propose.getByLabel('Title')).toHaveValue('');
	}
	await open(admin, `/manage/${event.slug}/marketplace`);
	await admin.getByRole('button', { name: 'Open refining' }).click();
	await admin.getByRole('button', { name: 'Open voting' }).click();
	await expect(admin.getByRole('button', { name: 'Close the vote' })).toBeVisible();
	// Two people want the seed library: more than the cupboard holds.
	for (const page of [ana, ben]) {
		await open(page, `/e/${event.slug}/marketplace`);
		const seeds = cardOf(page, SEEDS);
		await seeds.getByRole('button', { name: /place a dot on “Seed libraries”/ }).click();
		await expect(seeds.getByText('Your dots here: 1 of')).toBeVisible();
	}
	await open(admin, `/manage/${event.slug}/marketplace`);
	await admin.getByRole('button', { name: 'Close the vote' }).click();
	await expect(admin.getByText(`${ROUND}: the vote is closed.`)).toBeVisible();
	await admin.getByRole('link', { name: 'Agenda for this round' }).click();
	await expect(admin.getByRole('heading', { level: 1, name: `Agenda: ${ROUND}` })).toBeVisible();
	const blocks = admin.getByRole('group', { name: 'Session-round blocks this round fills' });
	for (let i = 1; i <= 4; i++) await blocks.getByLabel(new RegExp(`Round ${i}`)).check();
	await admin.getByRole('button', { name: 'Save blocks' }).click();
	await expect(admin.getByText('Blocks saved.')).toBeVisible();
	await admin.getByRole('button', { name: 'Generate agenda' }).click();
	await expect(admin.getByText('Agenda generated: 4 sessions placed, 0 left out.')).toBeVisible();
	agendaUrl = new URL(admin.url()).pathname;
});

test.afterAll(async () => {
	for (const context of contexts) await context.close();
	await organiser.close();
});

test('five rooms by four blocks fit a 1280 px screen, compact, with nothing expanded', async () => {
	await admin.setViewportSize({ width: 1280, height: 900 });
	await open(admin, agendaPath());
	const grid = board(admin);
	await expect(grid.getByRole('columnheader')).toHaveCount(6);
	await expect(grid.getByRole('rowheader')).toHaveCount(4);
	const { scroll, client } = await grid.evaluate((el) => ({
		scroll: el.scrollWidth,
		client: el.clientWidth
	}));
	expect(scroll).toBeLessThanOrEqual(client);
	// Each card's forms sit behind "More", closed.
	await expect(grid.getByRole('button', { name: 'Take off the agenda' }).first()).toBeHidden();
	const card = cardOf(admin, MESH);
	expect((await card.boundingBox())!.height).toBeLessThan(200);
	await expectNoAxeViolations(admin);
	await admin.screenshot({ path: path.join(SCREENSHOTS, 'agenda-board-1280.png'), fullPage: true });
});

test('dragging a card onto an empty cell moves it, onto another card swaps them', async () => {
	const target = emptyCells(rowOf(admin, MESH)).first();
	const slot = (await target.getAttribute('data-slot'))!;
	await drag(admin, moveButton(admin, MESH), target);
	await expect(admin.getByText('Agenda saved.')).toBeVisible();
	await expect(board(admin).locator(`td[data-slot="${slot}"]`)).toContainText(MESH);

	// Into a block where Ana already convenes a session: refused, and the card says why.
	const elsewhere = emptyCells(rowOf(admin, REPAIR)).first();
	await drag(admin, moveButton(admin, MESH), elsewhere);
	await expect(cardOf(admin, MESH)).toContainText(/already convenes “Repair cafés” in that block/);
	await expect(board(admin).locator(`td[data-slot="${slot}"]`)).toContainText(MESH);

	const meshAt = await slotOf(admin, MESH);
	const repairAt = await slotOf(admin, REPAIR);
	await drag(admin, moveButton(admin, MESH), cardOf(admin, REPAIR));
	await expect(board(admin).locator(`td[data-slot="${repairAt}"]`)).toContainText(MESH);
	await expect(board(admin).locator(`td[data-slot="${meshAt}"]`)).toContainText(REPAIR);
	// The same after a reload: the server holds it, not only the screen.
	await admin.reload();
	await expect(board(admin).locator(`td[data-slot="${repairAt}"]`)).toContainText(MESH);
});

test('the same by keyboard alone: pick a card, then a cell or another card', async () => {
	await open(admin, agendaPath());
	await moveButton(admin, TIME).focus();
	await admin.keyboard.press('Enter');
	await expect(moveButton(admin, TIME)).toHaveAttribute('aria-pressed', 'true');
	await expect(admin.getByText('“Time banks” is chosen')).toBeVisible();
	// Escape puts it down again.
	await admin.keyboard.press('Escape');
	await expect(moveButton(admin, TIME)).toHaveAttribute('aria-pressed', 'false');
	await expect(moveButton(admin, TIME)).toBeFocused();

	await admin.keyboard.press('Enter');
	const here = rowOf(admin, TIME)
		.getByRole('button', { name: /^Move “Time banks” here: / })
		.first();
	const slot = (await here.locator('xpath=ancestor::td').getAttribute('data-slot'))!;
	await here.focus();
	await admin.keyboard.press('Enter');
	await expect(board(admin).locator(`td[data-slot="${slot}"]`)).toContainText(TIME);
	await expect(moveButton(admin, TIME)).toBeFocused();

	const timeAt = await slotOf(admin, TIME);
	const seedsAt = await slotOf(admin, SEEDS);
	await admin.keyboard.press('Enter');
	await admin.getByRole('button', { name: 'Swap “Time banks” with “Seed libraries”' }).focus();
	await admin.keyboard.press('Enter');
	await expect(board(admin).locator(`td[data-slot="${seedsAt}"]`)).toContainText(TIME);
	await expect(board(admin).locator(`td[data-slot="${timeAt}"]`)).toContainText(SEEDS);
});

test('a full room shows on the board as it happens, the answer says so, and undo takes it back', async () => {
	await open(admin, agendaPath());
	const seeds = cardOf(admin, SEEDS);
	await expect(seeds).not.toContainText('the room holds');
	// A session in the cupboard's column (rooms go biggest first: the fifth).
	const inCupboard = board(admin)
		.locator('tbody tr')
		.locator('td:nth-of-type(5)')
		.filter({ has: admin.getByRole('article') })
		.filter({ hasNot: admin.getByRole('heading', { name: SEEDS }) });
	const other = inCupboard.first().getByRole('heading', { level: 3 });
	const otherTitle = (await other.textContent())!.trim();
	const seedsAt = await slotOf(admin, SEEDS);
	await drag(admin, moveButton(admin, SEEDS), cardOf(admin, otherTitle));
	await expect(cardOf(admin, SEEDS)).toContainText('2 expected; the room holds 1.');
	await expect(admin.getByRole('alert')).toContainText('This change brought a conflict:');
	await expectNoAxeViolations(admin);
	await admin.setViewportSize({ width: 1920, height: 1080 });
	await admin.screenshot({ path: path.join(SCREENSHOTS, 'agenda-board-1920.png'), fullPage: true });
	await admin.setViewportSize({ width: 1280, height: 900 });

	await admin.getByRole('button', { name: 'Undo' }).click();
	await expect(admin.getByText('Change undone.')).toBeVisible();
	await expect(board(admin).locator(`td[data-slot="${seedsAt}"]`)).toContainText(SEEDS);
	await expect(cardOf(admin, SEEDS)).not.toContainText('the room holds');
	await expect(admin.getByRole('button', { name: 'Undo' })).toHaveCount(0);
});

test('two facilitators at once see each other’s moves without reloading', async ({
	browser,
	baseURL
}) => {
	const second = await adminContext(browser, baseURL);
	contexts.push(second);
	const other = await second.newPage();
	await other.setViewportSize({ width: 1280, height: 900 });
	await open(other, agendaPath());
	await open(admin, agendaPath());

	const slot = (await emptyCells(rowOf(admin, REPAIR)).first().getAttribute('data-slot'))!;
	await moveButton(admin, REPAIR).focus();
	await admin.keyboard.press('Enter');
	await board(admin).locator(`td[data-slot="${slot}"]`).getByRole('button').click();
	await expect(board(other).locator(`td[data-slot="${slot}"]`)).toContainText(REPAIR);

	const back = (await emptyCells(rowOf(other, REPAIR)).last().getAttribute('data-slot'))!;
	await drag(other, moveButton(other, REPAIR), board(other).locator(`td[data-slot="${back}"]`));
	await expect(board(admin).locator(`td[data-slot="${back}"]`)).toContainText(REPAIR);
	await expect(board(admin).locator(`td[data-slot="${slot}"]`)).toContainText('Empty');
});

test('without JavaScript the forms under “More” move a card, and Undo takes it back', async ({
	browser,
	baseURL
}) => {
	const context = await browser.newContext({
		baseURL,
		javaScriptEnabled: false,
		storageState: await organiser.storageState()
	});
	contexts.push(context);
	const page = await context.newPage();
	await page.goto(agendaPath());
	const card = cardOf(page, TIME);
	const from = (await card.locator('xpath=ancestor::td').getAttribute('data-slot'))!;
	await expect(card.getByLabel('Move “Time banks” to')).toBeHidden();
	await card.getByText('More').click();
	const select = card.getByLabel('Move “Time banks” to');
	const [blockId] = from.split('-');
	const options = await select
		.locator('option')
		.evaluateAll((all) => all.map((o) => (o as HTMLOptionElement).value));
	const to = options.find((v) => v.startsWith(`${blockId}-`))!;
	await select.selectOption(to);
	await card.getByRole('button', { name: 'Move', exact: true }).click();
	await expect(page.getByText('Agenda saved.')).toBeVisible();
	await expect(board(page).locator(`td[data-slot="${to}"]`)).toContainText(TIME);
	await page.getByRole('button', { name: 'Undo' }).click();
	await expect(page.getByText('Change undone.')).toBeVisible();
	await expect(board(page).locator(`td[data-slot="${from}"]`)).toContainText(TIME);
});

test('fifteen rooms scroll sideways under headers that stay put', async () => {
	for (let i = 6; i <= 15; i++)
		await addRoom(admin, event.slug, { name: `Room ${i}`, seats: '12' });
	await open(admin, agendaPath());
	const grid = board(admin);
	await expect(grid.getByRole('columnheader')).toHaveCount(16);
	const { scroll, client } = await grid.evaluate((el) => ({
		scroll: el.scrollWidth,
		client: el.clientWidth
	}));
	expect(scroll).toBeGreaterThan(client);
	const rowHeader = grid.getByRole('rowheader').first();
	const before = (await rowHeader.boundingBox())!.x;
	await grid.evaluate((el) => el.scrollBy({ left: 600, top: 200 }));
	expect((await rowHeader.boundingBox())!.x).toBeCloseTo(before, 0);
	const head = grid.getByRole('columnheader').first();
	expect((await head.boundingBox())!.y).toBeGreaterThanOrEqual((await grid.boundingBox())!.y - 1);
	await expectNoAxeViolations(admin);
});

test('the day view shows the rest of the day around the round, read only', async () => {
	await addBlock(admin, event.slug, {
		day: 0,
		kind: 'Plenary',
		title: 'Opening circle',
		start: '09:00',
		end: '09:45'
	});
	await open(admin, agendaPath());
	await admin.getByRole('link', { name: 'Whole day' }).click();
	await expect(admin.getByRole('link', { name: 'Whole day' })).toHaveAttribute(
		'aria-current',
		'page'
	);
	const opening = board(admin).getByRole('row', { name: /Opening circle/ });
	await expect(opening).toContainText('Plenary');
	await expect(opening.getByRole('button')).toHaveCount(0);
	await expect(board(admin).getByRole('rowheader')).toHaveCount(5);
	await expect(moveButton(admin, SEEDS)).toBeVisible();
	await expectNoAxeViolations(admin);
});
