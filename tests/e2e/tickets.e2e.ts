import { mkdirSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
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
	adminContext,
	ADMIN_STATE,
	ANONYMOUS,
	createTicketedEvent,
	expectFieldError,
	expectNoAxeViolations,
	expectTicket,
	confirmByMail,
	newestOutboxLink,
	newPerson,
	open,
	orderForm,
	orderTicket,
	SCREENSHOTS,
	signUp,
	summerEvent,
	unique,
	uniqueSlug,
	type TicketTypeDetails
} from './helpers';

// Ticketing from both sides: people get free and paid tickets (the payment through the fake
// Stripe, whose Pay button sends the app a signed webhook), a sold-out event's waiting list
// passes a freed seat on by e-mail, and the organiser checks tickets in at the door. Every test
// builds its own published event through the management pages.

const FREE: TicketTypeDetails = { name: 'Community', pricing: 'Free' };

/** A browser signed in as the admin, who organises every event here. Close it when done. */
async function organiser(browser: Browser, baseURL: string | undefined) {
	const context = await adminContext(browser, baseURL);
	return { context, page: await context.newPage() };
}

/** A new published event with these ticket types, made by the organiser. */
async function ticketedEvent(
	browser: Browser,
	baseURL: string | undefined,
	types: TicketTypeDetails[],
	overrides: Parameters<typeof summerEvent>[0] = {}
) {
	const event = summerEvent({ slug: uniqueSlug('tickets'), ...overrides });
	const { context, page } = await organiser(browser, baseURL);
	await createTicketedEvent(page, event, types);
	await context.close();
	return event;
}

/** The organiser's orders table row for one attendee. */
const orderRow = (page: Page, attendee: string) =>
	page.getByRole('region', { name: 'Orders, newest first' }).getByRole('row').filter({
		hasText: attendee
	});

/** The cell of `row` under the column headed `column`. */
async function cell(row: Locator, column: string): Promise<Locator> {
	await expect(row).toHaveCount(1);
	const table = row.locator('xpath=ancestor::table[1]');
	const headers = await table.getByRole('columnheader').allInnerTexts();
	const index = headers.findIndex((h) => h.trim() === column);
	expect(index, `a "${column}" column`).toBeGreaterThanOrEqual(0);
	return row.getByRole('cell').nth(index);
}

test.describe('with JavaScript', () => {
	test('a signed-in person gets a free ticket with a QR code, also listed under My tickets', async ({
		page,
		browser,
		baseURL
	}) => {
		const event = await ticketedEvent(browser, baseURL, [FREE]);
		const person = newPerson('Bea Buyer');
		await signUp(page, person);

		await open(page, `/e/${event.slug}`);
		await page.getByRole('link', { name: 'Tickets', exact: true }).click();
		await expect(page).toHaveURL(`/e/${event.slug}/tickets`);
		await expect(page.getByRole('heading', { level: 1, name: 'Tickets' })).toBeVisible();
		const form = orderForm(page);
		// The only type on sale is chosen already; the attendee is the signed-in person.
		await expect(form.getByRole('radio', { name: /^Community/ })).toBeChecked();
		await expect(form.getByRole('radio', { name: /^Community/ })).toHaveAccessibleName(
			/Free\s*Seats left: 120\./
		);
		await expect(form.getByLabel("Attendee's name")).toHaveValue(person.name);
		await expect(form.getByLabel("Attendee's e-mail address")).toHaveValue(person.email);
		// Nothing to pay, so no amount to choose.
		await expect(form.getByLabel(/^Your amount/)).toHaveCount(0);
		await form.getByLabel('Dietary needs').fill('Vegetarian');
		await orderTicket(page);

		const code = await expectTicket(page, event.slug, person.name);
		const ticketPath = new URL(page.url()).pathname;
		await expect(page.getByRole('article')).toContainText(event.name);
		await expect(page.getByRole('article')).toContainText('Community');

		// The ticket was e-mailed too, with a link to the same page and the code.
		const mailed = await newestOutboxLink(
			browser,
			baseURL,
			person.email,
			`Your ticket for ${event.name}`
		);
		expect(new URL(mailed).pathname).toBe(ticketPath);

		await page.getByRole('banner').getByRole('link', { name: 'My tickets' }).click();
		await expect(page).toHaveURL('/tickets');
		const listed = page.getByRole('listitem').filter({ hasText: event.name });
		await expect(listed).toContainText(`${person.name} · Community`);
		await listed.getByRole('link', { name: event.name }).click();
		await expect(page).toHaveURL(ticketPath);
		await expect(page.locator('.qr-box .code code')).toHaveText(code);

		// The organiser sees the sale and the answers.
		const { context, page: manage } = await organiser(browser, baseURL);
		await manage.goto(`/manage/${event.slug}/orders`);
		const row = orderRow(manage, person.name);
		await expect(await cell(row, 'Status')).toHaveText('Free');
		await expect(await cell(row, 'Amount')).toHaveText('Free');
		await expect(await cell(row, 'Ticket code')).toHaveText(code);
		await context.close();
	});

	test('a paid ticket goes through the payment page and is issued once the payment is confirmed', async ({
		page,
		browser,
		baseURL
	}) => {
		const event = await ticketedEvent(browser, baseURL, [
			{ name: 'Supporter', pricing: 'Fixed price', price: '30' }
		]);
		const person = newPerson('Paz Payer');
		await signUp(page, person);

		await open(page, `/e/${event.slug}/tickets`);
		const form = orderForm(page);
		await expect(form.getByRole('radio', { name: /^Supporter/ })).toHaveAccessibleName(/€30\.00/);
		await expect(form).toContainText('Paid tickets continue to a secure payment page (Stripe).');
		await orderTicket(page);

		// Stripe's hosted page (the fake one), for this order's amount.
		await expect(page).toHaveURL(/^http:\/\/127\.0\.0\.1:\d+\/pay\/cs_test_\w+$/);
		await expect(page.getByRole('heading', { level: 1, name: 'Test payment' })).toBeVisible();
		await expect(page.getByText('Amount: 30.00 EUR')).toBeVisible();
		const back = await page.getByRole('link', { name: 'Back' }).getAttribute('href');
		const orderUrl = new URL(back!);
		expect(orderUrl.pathname).toMatch(new RegExp(`^/e/${event.slug}/orders/\\d+$`));

		// Meanwhile, in another tab, the order waits for the payment with the seat held.
		const waiting = await page.context().newPage();
		await open(waiting, orderUrl.pathname);
		const waitingStatus = waiting.getByRole('status');
		await expect(waitingStatus).toContainText('Confirming your payment…');
		await expect(waiting.getByRole('definition').nth(3)).toHaveText('Seat held, awaiting payment');
		await expect(waiting.getByRole('link', { name: 'See my ticket' })).toHaveCount(0);

		await page.getByRole('button', { name: 'Pay' }).click();
		await expect(page).toHaveURL(`${orderUrl.pathname}?paid=1`);
		await expect(page.getByRole('heading', { level: 1, name: 'Your order' })).toBeVisible();
		await expect(page.getByRole('status')).toContainText('Payment received: your ticket is ready.');
		await expect(page.getByRole('definition').nth(3)).toHaveText('Paid');

		// The waiting tab looks again by itself and turns into the ticket link.
		await expect(waitingStatus).toContainText('Payment received: your ticket is ready.', {
			timeout: 15_000
		});
		await expect(waitingStatus).not.toContainText('Confirming your payment…');
		await waiting.close();

		await page.getByRole('link', { name: 'See my ticket' }).click();
		const code = await expectTicket(page, event.slug, person.name);
		await expect(page.getByRole('article')).toContainText('Supporter');
		await expect(page.getByRole('region', { name: "Can't come after all?" })).toContainText(
			'You get a full refund of €30.00.'
		);

		const { context, page: manage } = await organiser(browser, baseURL);
		await manage.goto(`/manage/${event.slug}/orders`);
		const row = orderRow(manage, person.name);
		await expect(await cell(row, 'Ticket type')).toHaveText('Supporter');
		await expect(await cell(row, 'Amount')).toHaveText('€30.00');
		await expect(await cell(row, 'Status')).toHaveText('Paid');
		await expect(await cell(row, 'Ticket code')).toHaveText(code);
		await manage.goto(`/manage/${event.slug}/tickets`);
		await expect(
			manage.getByRole('region', { name: 'Seats at a glance' }).getByRole('definition').nth(1)
		).toHaveText('1');
		await context.close();
	});

	test('sold out: the waiting list gets the seat a cancellation frees, by an e-mailed offer', async ({
		page,
		browser,
		baseURL
	}) => {
		const event = await ticketedEvent(browser, baseURL, [FREE], { capacity: '1' });

		// A takes the only seat.
		const a = newPerson('Ari First');
		await signUp(page, a);
		await open(page, `/e/${event.slug}/tickets`);
		await expect(orderForm(page).getByRole('radio', { name: /^Community/ })).toHaveAccessibleName(
			/Seats left: 1\./
		);
		await orderTicket(page);
		await expectTicket(page, event.slug, a.name);
		const ticketOfA = page.url();

		// B finds it sold out and joins the waiting list, as themselves.
		const bContext = await browser.newContext({ baseURL, storageState: ANONYMOUS });
		const bPage = await bContext.newPage();
		const b = newPerson('Bo Waiting');
		await signUp(bPage, b);
		await open(bPage, `/e/${event.slug}/tickets`);
		await expect(orderForm(bPage)).toHaveCount(0);
		await expect(bPage.getByRole('region', { name: 'Ticket types' })).toContainText(
			/Community\s*Free\s*Sold out\./
		);
		const waitingList = bPage.getByRole('region', { name: 'Waiting list' });
		await expect(waitingList.getByRole('radio', { name: 'Community' })).toBeChecked();
		await expect(waitingList.getByLabel('Name')).toHaveValue(b.name);
		await expect(waitingList.getByLabel('E-mail address')).toHaveValue(b.email);
		await waitingList.getByRole('button', { name: 'Join the waiting list' }).click();
		await expect(waitingList.getByRole('status')).toHaveText(
			`You are on the waiting list. We will write to ${b.email} if a seat frees up.`
		);

		// The organiser cancels A's order; the seat goes straight to B.
		const { context, page: manage } = await organiser(browser, baseURL);
		await open(manage, `/manage/${event.slug}/orders`);
		const queue = manage.getByRole('region', { name: 'Waiting list, in order' });
		await expect(queue.getByRole('row').filter({ hasText: b.email })).toContainText('Waiting');
		const rowOfA = orderRow(manage, a.name);
		await rowOfA.locator('summary').filter({ hasText: 'Cancel' }).click();
		await expect(rowOfA).toContainText(
			`${a.name}'s ticket stops working and the seat goes to the waiting list.`
		);
		await rowOfA.getByRole('button', { name: 'Yes: Cancel' }).click();
		await expect(manage.getByRole('status').first()).toHaveText('The order has been cancelled.');
		await expect(await cell(rowOfA, 'Status')).toHaveText('Cancelled');
		await expect(queue.getByRole('row').filter({ hasText: b.email })).toContainText('Seat offered');

		// A's ticket no longer lets anyone in.
		await page.goto(ticketOfA);
		await expect(
			page.getByText('This ticket is cancelled. It no longer lets anyone in.')
		).toBeVisible();
		await expect(page.getByRole('img', { name: /QR code/ })).toHaveCount(0);

		// B's offer arrives by e-mail and holds the seat: nobody else can buy it meanwhile.
		const claim = await newestOutboxLink(
			browser,
			baseURL,
			b.email,
			`A seat is free for you at ${event.name}`
		);
		expect(new URL(claim).pathname).toMatch(new RegExp(`^/e/${event.slug}/claim/[^/]+$`));
		await page.goto(`/e/${event.slug}/tickets`);
		await expect(page.getByRole('region', { name: 'Ticket types' })).toContainText(
			'Sold out for now — seats may free up.'
		);

		await open(bPage, claim);
		await expect(bPage.getByRole('heading', { level: 1, name: 'Claim your seat' })).toBeVisible();
		await expect(bPage.getByText(`Hello ${b.name}: a seat has freed up`)).toBeVisible();
		const form = orderForm(bPage);
		await expect(form.getByRole('radio', { name: /^Community/ })).toBeChecked();
		await expect(form.getByLabel("Attendee's name")).toHaveValue(b.name);
		await expect(form.getByLabel("Attendee's e-mail address")).toHaveValue(b.email);
		await form.getByLabel('Access needs').fill('A seat near the front, please.');
		await orderTicket(bPage);
		const code = await expectTicket(bPage, event.slug, b.name);

		// The offer is used up.
		await bPage.goto(claim);
		await expect(bPage.getByText('This offer has expired or has been used already.')).toBeVisible();
		await expect(orderForm(bPage)).toHaveCount(0);
		await bContext.close();

		await manage.reload();
		const rowOfB = orderRow(manage, b.name);
		await expect(await cell(rowOfB, 'Status')).toHaveText('Free');
		await expect(await cell(rowOfB, 'Ticket code')).toHaveText(code);
		await expect(await cell(orderRow(manage, a.name), 'Status')).toHaveText('Cancelled');
		await expect(queue.getByRole('row').filter({ hasText: b.email })).toContainText('Claimed');
		await context.close();
	});

	test('the door checks a ticket in by its code, once, and can undo it', async ({
		page,
		browser,
		baseURL
	}) => {
		const event = await ticketedEvent(browser, baseURL, [FREE]);
		const person = newPerson('Cy Door');
		await signUp(page, person);
		await open(page, `/e/${event.slug}/tickets`);
		await orderTicket(page);
		const code = await expectTicket(page, event.slug, person.name);

		const { context, page: door } = await organiser(browser, baseURL);
		const checkin = `/manage/${event.slug}/checkin`;
		await open(door, checkin);
		await expect(door.getByRole('heading', { level: 1, name: 'Check-in' })).toBeVisible();
		const counts = door.locator('.counts');
		await expect(counts).toHaveText(/^0 \/ 1\s*checked in \/ tickets sold$/);
		const scan = door.getByRole('region', { name: 'Scan or type a ticket code' });
		const outcome = scan.getByRole('status');
		const field = scan.getByLabel('Ticket code');
		const checkIn = scan.getByRole('button', { name: 'Check in', exact: true });
		await expect(outcome).toBeEmpty();

		// The first time: green, with the name.
		await field.fill(code);
		await checkIn.click();
		await expect(outcome).toContainText(`Checked in: ${person.name}`);
		await expect(outcome.locator('.result')).toHaveClass(/\bok\b/);
		await expectGreen(outcome.locator('.result'));
		await expect(outcome).toContainText('✓');
		await expect(counts).toHaveText(/^1 \/ 1/);
		// Ready for the next person.
		await expect(field).toHaveValue('');
		await expect(field).toBeFocused();

		// The same code again is refused.
		await field.fill(code);
		await checkIn.click();
		await expect(outcome).toContainText(/Already checked in at \S/);
		await expect(outcome).toContainText(person.name);
		await expect(outcome.locator('.result')).toHaveClass(/\bbad\b/);
		await expect(outcome).toContainText('✕');
		await expect(counts).toHaveText(/^1 \/ 1/);

		// A mistaken check-in can be taken back.
		// Its button names the person (in text only screen readers read).
		const undo = outcome.getByRole('button', { name: /^Undo check-in/ });
		await expect(undo).toHaveAccessibleName(new RegExp(`${person.name}$`));
		await undo.click();
		await expect(outcome).toHaveText(`Check-in undone: ${person.name}.`);
		await expect(counts).toHaveText(/^0 \/ 1/);

		// A made-up code.
		await field.fill('zzzz2222zzzz2222zzzz');
		await checkIn.click();
		await expect(outcome).toContainText('Unknown code');
		await expect(outcome).toContainText('No ticket has this code.');
		await expect(outcome.locator('.result')).toHaveClass(/\bbad\b/);
		await expect(outcome.getByRole('button', { name: /Undo/ })).toHaveCount(0);

		// The ticket's QR code opens the check-in page with its code, and waits for the press.
		await open(door, `${checkin}?code=${code}`);
		await expect(field).toHaveValue(code);
		await expect(outcome).toHaveText('Ticket code ready. Press “Check in” to let this person in.');
		await expect(counts).toHaveText(/^0 \/ 1/);
		const search = door.getByRole('search');
		await search.getByLabel('Name, e-mail address or code').fill(person.email);
		await search.getByRole('button', { name: 'Search' }).click();
		await expect(door.getByRole('listitem').filter({ hasText: person.name })).toContainText(
			'Not checked in yet'
		);
		await open(door, `${checkin}?code=${code}`);
		await checkIn.click();
		await expect(outcome).toContainText(`Checked in: ${person.name}`);
		await expectGreen(outcome.locator('.result'));
		await expect(counts).toHaveText(/^1 \/ 1/);
		await context.close();

		// The holder's ticket shows it too.
		await page.goto('/tickets');
		await expect(page.getByRole('listitem').filter({ hasText: event.name })).toContainText(
			'checked in'
		);
	});
});

/** The check-in result is shown on green (besides its words and symbol). */
async function expectGreen(result: Locator) {
	const rgb = await result.evaluate((el) => getComputedStyle(el).backgroundColor);
	const [r, g, b] = rgb.match(/\d+/g)!.map(Number);
	expect(g, `green in ${rgb}`).toBeGreaterThan(r);
	expect(g, `green in ${rgb}`).toBeGreaterThan(b);
}

/**
 * Empty name, a bad e-mail address and an amount outside the pay-what-you-can range: each
 * message shows next to its field and everything typed stays. Works the same with and
 * without JavaScript.
 */
async function badOrderForm(page: Page, browser: Browser, baseURL: string | undefined) {
	const event = await ticketedEvent(browser, baseURL, [
		FREE,
		{
			name: 'Solidarity',
			pricing: 'Pay what you can',
			minPrice: '5',
			suggestedPrice: '25',
			maxPrice: '60'
		}
	]);
	await open(page, `/e/${event.slug}/tickets`);
	const form = orderForm(page);
	const solidarity = form.getByRole('radio', { name: /^Solidarity/ });
	await expect(solidarity).toHaveAccessibleName(/€5\.00 to €60\.00, suggested €25\.00/);
	await solidarity.check();
	const amount = form.getByLabel('Your amount (EUR)');
	await expect(amount).toHaveValue('25.00');
	const name = form.getByLabel("Attendee's name");
	const email = form.getByLabel("Attendee's e-mail address");
	const dietary = form.getByLabel('Dietary needs');
	await amount.fill('75');
	await name.fill('');
	await email.fill('not-an-email');
	await dietary.fill('No nuts');
	await form.getByRole('button', { name: 'Get my ticket' }).click();

	await expectFieldError(name, 'Please fill this in.');
	await expectFieldError(email, 'This does not look like an e-mail address.');
	await expect(solidarity).toBeChecked();
	await expect(amount).toHaveValue('75');
	await expect(email).toHaveValue('not-an-email');
	await expect(dietary).toHaveValue('No nuts');

	// With name and address right, the amount is checked against the range.
	await name.fill('Rae Range');
	await email.fill('rae@example.org');
	await form.getByRole('button', { name: 'Get my ticket' }).click();
	await expectFieldError(amount, 'Please choose an amount from 5.00 to 60.00.');
	await expect(name).not.toHaveAttribute('aria-invalid', 'true');
	await expect(email).not.toHaveAttribute('aria-invalid', 'true');
	await expect(solidarity).toBeChecked();
	await expect(amount).toHaveValue('75');
	await expect(name).toHaveValue('Rae Range');
	await expect(email).toHaveValue('rae@example.org');
	await expect(dietary).toHaveValue('No nuts');
	await expect(page).toHaveURL(new RegExp(`/e/${event.slug}/tickets`));

	// Nothing was ordered along the way.
	const { context, page: manage } = await organiser(browser, baseURL);
	await manage.goto(`/manage/${event.slug}/orders`);
	await expect(manage.getByText('Orders: 0')).toBeVisible();
	await expect(manage.getByRole('cell', { name: 'No orders yet.' })).toBeVisible();
	await context.close();
}

test.describe('with JavaScript, a bad order form', () => {
	test('shows each message next to its field and keeps what was typed', async ({
		page,
		browser,
		baseURL
	}) => badOrderForm(page, browser, baseURL));
});

test.describe('without JavaScript', () => {
	test.use({ javaScriptEnabled: false });

	test('someone without an account confirms the address from their mail and lands on the ticket', async ({
		page,
		browser,
		baseURL
	}) => {
		const event = await ticketedEvent(browser, baseURL, [FREE]);
		const person = newPerson('Nell NoScript');
		await page.goto(`/e/${event.slug}/tickets`);
		const form = orderForm(page);
		await expect(form.getByRole('radio', { name: /^Community/ })).toBeChecked();
		await expect(form.getByLabel("Attendee's name")).toHaveValue('');
		await orderTicket(page, { name: person.name, email: person.email });
		await expect(page).toHaveURL(new RegExp(`/e/${event.slug}/tickets(\\?/order)?$`));

		// Nothing is held before the link is used: no seat taken yet.
		const { context, page: manage } = await organiser(browser, baseURL);
		await manage.goto(`/manage/${event.slug}/orders`);
		await expect(manage.getByText('Orders: 0')).toBeVisible();

		const link = await confirmByMail(page, browser, baseURL, event, person);
		const ticketPath = new URL(page.url()).pathname;
		const ticketLink = await newestOutboxLink(
			browser,
			baseURL,
			person.email,
			`Your ticket for ${event.name}`
		);
		expect(new URL(ticketLink).pathname).toBe(ticketPath);
		await manage.reload();
		await expect(await cell(orderRow(manage, person.name), 'Status')).toHaveText('Free');
		await context.close();

		// The link works once.
		await page.goto(link);
		await expect(page.getByText(/^This link has expired, has been used already/)).toBeVisible();

		// One ticket each: a second order is refused next to the e-mail field, keeping what was typed.
		await page.goto(`/e/${event.slug}/tickets`);
		await orderForm(page).getByLabel('Dietary needs').fill('Oat milk');
		await orderTicket(page);
		const email = orderForm(page).getByLabel("Attendee's e-mail address");
		await expectFieldError(
			email,
			'There is already a ticket for this event for you or for this address, and this ticket type allows one per person. See it under “My tickets”.'
		);
		await expect(email).toHaveValue(person.email);
		await expect(orderForm(page).getByLabel('Dietary needs')).toHaveValue('Oat milk');
	});

	test('a signed-in person posts the form and lands on the ticket page', async ({
		page,
		browser,
		baseURL
	}) => {
		const event = await ticketedEvent(browser, baseURL, [FREE]);
		const person = newPerson('Noor NoScript');
		await signUp(page, person);
		await page.goto(`/e/${event.slug}/tickets`);
		await expect(orderForm(page).getByLabel("Attendee's name")).toHaveValue(person.name);
		await orderTicket(page);
		await expectTicket(page, event.slug, person.name);
	});

	test('a bad order form shows each message next to its field and keeps what was typed', async ({
		page,
		browser,
		baseURL
	}) => badOrderForm(page, browser, baseURL));
});

test.describe('accessibility of the ticketing pages', () => {
	const shop = summerEvent({ slug: uniqueSlug('shop'), name: 'Accessible Ticket Shop' });
	const full = summerEvent({ slug: uniqueSlug('full'), name: 'Sold-out Gathering', capacity: '1' });
	const second = summerEvent({
		slug: uniqueSlug('second'),
		name: 'Second-chance Gathering',
		capacity: '1'
	});
	let buyer: Awaited<ReturnType<BrowserContext['storageState']>>;
	let ticketPath = '';
	let code = '';
	let paidOrderPath = '';
	let leftOrderPath = '';
	let claimLink = '';
	let confirmLink = '';

	test.beforeAll(async ({ browser }, testInfo) => {
		testInfo.setTimeout(240_000);
		const baseURL = testInfo.project.use.baseURL;
		const { context, page } = await organiser(browser, baseURL);
		await createTicketedEvent(page, shop, [
			{
				name: 'Standard',
				pricing: 'Fixed price',
				price: '40',
				description: 'Both days, lunch included.'
			},
			{
				name: 'Solidarity',
				pricing: 'Pay what you can',
				minPrice: '5',
				suggestedPrice: '20',
				maxPrice: '60',
				// The buyer below holds a Standard ticket and opens a second order.
				perPerson: '2'
			},
			{ name: 'Volunteer', pricing: 'Free', quota: '10' }
		]);
		// Two events whose only seat the organiser gives to someone else.
		for (const event of [full, second]) {
			await createTicketedEvent(page, event, [FREE]);
			await open(page, `/e/${event.slug}/tickets`);
			await orderTicket(page, { name: 'Sam Seat', email: `sam-${unique()}@example.org` });
			await expectTicket(page, event.slug, 'Sam Seat');
		}

		// Someone waits for the second event; a cancellation offers them the seat.
		const waiter = { name: 'Wren Waiting', email: `wren-${unique()}@example.org` };
		const visitor = await browser.newContext({ baseURL, storageState: ANONYMOUS });
		const visitorPage = await visitor.newPage();
		await open(visitorPage, `/e/${second.slug}/tickets`);
		const waitingList = visitorPage.getByRole('region', { name: 'Waiting list' });
		await waitingList.getByLabel('Name').fill(waiter.name);
		await waitingList.getByLabel('E-mail address').fill(waiter.email);
		await waitingList.getByRole('button', { name: 'Join the waiting list' }).click();
		await expect(waitingList.getByRole('status')).toContainText(waiter.email);
		// Someone without an account orders a free ticket; the link in their mail is scanned.
		const volunteer = { name: 'Val Volunteer', email: `val-${unique()}@example.org` };
		await open(visitorPage, `/e/${shop.slug}/tickets`);
		await orderTicket(visitorPage, { type: 'Volunteer', ...volunteer });
		await expect(visitorPage.getByRole('status').filter({ hasText: 'Almost there' })).toBeVisible();
		confirmLink = await newestOutboxLink(
			browser,
			baseURL,
			volunteer.email,
			`Confirm your ticket for ${shop.name}`
		);
		await visitor.close();
		await open(page, `/manage/${second.slug}/orders`);
		const row = orderRow(page, 'Sam Seat');
		await row.locator('summary').filter({ hasText: 'Cancel' }).click();
		await row.getByRole('button', { name: 'Yes: Cancel' }).click();
		await expect(await cell(row, 'Status')).toHaveText('Cancelled');
		claimLink = await newestOutboxLink(
			browser,
			baseURL,
			waiter.email,
			`A seat is free for you at ${second.name}`
		);
		await context.close();

		// A buyer pays for one ticket and leaves the payment page of another.
		const own = await browser.newContext({ baseURL, storageState: ANONYMOUS });
		const ownPage = await own.newPage();
		const person = newPerson('Ada Access');
		await signUp(ownPage, person);
		await open(ownPage, `/e/${shop.slug}/tickets`);
		await orderTicket(ownPage, { type: 'Standard' });
		await ownPage.getByRole('button', { name: 'Pay' }).click();
		await expect(ownPage.getByRole('link', { name: 'See my ticket' })).toBeVisible();
		paidOrderPath = new URL(ownPage.url()).pathname;
		await ownPage.getByRole('link', { name: 'See my ticket' }).click();
		code = await expectTicket(ownPage, shop.slug, person.name);
		ticketPath = new URL(ownPage.url()).pathname;
		await open(ownPage, `/e/${shop.slug}/tickets`);
		await orderTicket(ownPage, { type: 'Solidarity', amount: '20' });
		await ownPage.getByRole('link', { name: 'Back' }).click();
		await expect(ownPage.getByRole('button', { name: 'Release my seat' })).toBeVisible();
		leftOrderPath = new URL(ownPage.url()).pathname + new URL(ownPage.url()).search;
		buyer = await own.storageState();
		await own.close();
	});

	type Who = 'organiser' | 'buyer' | 'anonymous';
	interface Scan {
		name: string;
		who: Who;
		path: () => string;
		/** What the page must show before the scan, so a blank page cannot pass. */
		heading: string;
		/** Bring the page into the state to scan, e.g. a failed submission. */
		prepare?: (page: Page) => Promise<void>;
	}

	const stateOf = (who: Who) =>
		who === 'organiser' ? ADMIN_STATE : who === 'buyer' ? buyer : ANONYMOUS;

	const scans: Scan[] = [
		{
			name: 'organiser tickets page',
			who: 'organiser',
			path: () => `/manage/${shop.slug}/tickets`,
			heading: 'Tickets'
		},
		{
			name: 'organiser tickets page with errors in the add form and an open editor',
			who: 'organiser',
			path: () => `/manage/${shop.slug}/tickets`,
			heading: 'Tickets',
			prepare: async (page) => {
				const add = page.getByRole('region', { name: 'Add ticket type' });
				await add.getByRole('radio', { name: /^Pay what you can/ }).check();
				await add.getByLabel('Minimum (EUR)').fill('30');
				await add.getByLabel('Suggested (EUR)').fill('10');
				await add.getByRole('button', { name: 'Add ticket type' }).click();
				await expect(add.getByRole('textbox', { name: 'Name', exact: true })).toHaveAttribute(
					'aria-invalid',
					'true'
				);
				await page.locator('summary', { hasText: 'Edit' }).first().click();
			}
		},
		{
			name: 'organiser orders page',
			who: 'organiser',
			path: () => `/manage/${shop.slug}/orders`,
			heading: 'Orders'
		},
		{
			name: 'organiser orders page with a cancellation and a waiting list',
			who: 'organiser',
			path: () => `/manage/${second.slug}/orders`,
			heading: 'Orders',
			prepare: async (page) => {
				await expect(page.getByRole('region', { name: 'Waiting list, in order' })).toContainText(
					'Seat offered'
				);
			}
		},
		{
			name: 'check-in page',
			who: 'organiser',
			path: () => `/manage/${shop.slug}/checkin`,
			heading: 'Check-in'
		},
		{
			name: 'check-in page with a check-in',
			who: 'organiser',
			path: () => `/manage/${shop.slug}/checkin`,
			heading: 'Check-in',
			prepare: async (page) => {
				await page.getByRole('textbox', { name: 'Ticket code', exact: true }).fill(code);
				await page.getByRole('button', { name: 'Check in', exact: true }).click();
				await expect(page.locator('.result')).toContainText(/Checked in|Already checked in/);
			}
		},
		{
			name: 'check-in page with an unknown code',
			who: 'organiser',
			path: () => `/manage/${shop.slug}/checkin`,
			heading: 'Check-in',
			prepare: async (page) => {
				await page.getByRole('textbox', { name: 'Ticket code', exact: true }).fill('not-a-ticket');
				await page.getByRole('button', { name: 'Check in', exact: true }).click();
				await expect(page.locator('.result')).toContainText('Unknown code');
			}
		},
		{
			name: 'check-in page opened from a QR code, with search results',
			who: 'organiser',
			path: () => `/manage/${shop.slug}/checkin?code=${code}&q=Ada`,
			heading: 'Check-in',
			prepare: async (page) => {
				await expect(page.getByText('Ticket code ready.')).toBeVisible();
				await expect(page.getByRole('heading', { name: /Tickets matching/ })).toBeVisible();
			}
		},
		{
			name: 'buy page',
			who: 'buyer',
			path: () => `/e/${shop.slug}/tickets`,
			heading: 'Tickets'
		},
		{
			name: 'buy page with errors',
			who: 'buyer',
			path: () => `/e/${shop.slug}/tickets`,
			heading: 'Tickets',
			prepare: async (page) => {
				const form = orderForm(page);
				await form.getByRole('radio', { name: /^Solidarity/ }).check();
				await form.getByLabel("Attendee's name").fill('');
				await form.getByLabel('Your amount (EUR)').fill('lots');
				await form.getByRole('button', { name: 'Get my ticket' }).click();
				await expect(form.getByLabel("Attendee's name")).toHaveAttribute('aria-invalid', 'true');
			}
		},
		{
			name: 'buy page, sold out, with the waiting-list form',
			who: 'anonymous',
			path: () => `/e/${full.slug}/tickets`,
			heading: 'Tickets',
			prepare: async (page) => {
				await expect(page.getByText('Sold out.')).toBeVisible();
				await expect(page.getByRole('button', { name: 'Join the waiting list' })).toBeVisible();
			}
		},
		{
			name: 'claim page',
			who: 'anonymous',
			path: () => claimLink,
			heading: 'Claim your seat',
			prepare: async (page) => {
				await expect(orderForm(page)).toBeVisible();
			}
		},
		{
			name: 'confirmation page of an order made without an account',
			who: 'anonymous',
			path: () => confirmLink,
			heading: 'Confirm your ticket',
			prepare: async (page) => {
				await expect(page.getByRole('button', { name: 'Confirm and get my ticket' })).toBeVisible();
			}
		},
		{
			name: 'claim page of a used or unknown offer',
			who: 'anonymous',
			path: () => `/e/${second.slug}/claim/not-a-real-offer`,
			heading: 'Claim your seat'
		},
		{
			name: 'order page, paid',
			who: 'buyer',
			path: () => paidOrderPath,
			heading: 'Your order'
		},
		{
			name: 'order page after leaving the payment page',
			who: 'buyer',
			path: () => leftOrderPath,
			heading: 'Your order'
		},
		{ name: 'ticket page', who: 'buyer', path: () => ticketPath, heading: 'Your ticket' },
		{ name: 'My tickets', who: 'buyer', path: () => '/tickets', heading: 'My tickets' }
	];

	for (const scan of scans) {
		test(`${scan.name} has no WCAG 2.2 AA violations`, async ({ browser, baseURL }) => {
			const context = await browser.newContext({ baseURL, storageState: stateOf(scan.who) });
			const page = await context.newPage();
			await open(page, scan.path());
			await scan.prepare?.(page);
			await expect(page.getByRole('heading', { level: 1, name: scan.heading })).toBeVisible();
			await expectNoAxeViolations(page);
			await context.close();
		});
	}

	test.describe('on a phone (390×844)', () => {
		test.use({ viewport: { width: 390, height: 844 } });
		test.beforeAll(() => mkdirSync(SCREENSHOTS, { recursive: true }));

		const shots: { file: string; who: Who; path: () => string; heading: string }[] = [
			{
				file: 'tickets-buy-phone.png',
				who: 'buyer',
				path: () => `/e/${shop.slug}/tickets`,
				heading: 'Tickets'
			},
			{
				file: 'checkin-phone.png',
				who: 'organiser',
				path: () => `/manage/${shop.slug}/checkin?code=${code}`,
				heading: 'Check-in'
			}
		];
		for (const shot of shots) {
			test(`${shot.file} fits the screen without sideways scrolling`, async ({
				browser,
				baseURL,
				viewport
			}) => {
				const context = await browser.newContext({
					baseURL,
					viewport,
					storageState: stateOf(shot.who)
				});
				const page = await context.newPage();
				await open(page, shot.path());
				await expect(page.getByRole('heading', { level: 1, name: shot.heading })).toBeVisible();
				const scrollWidth = await page.evaluate(() => document.documentElement.scrollWidth);
				expect(scrollWidth, 'page width including overflow').toBeLessThanOrEqual(390);
				const file = path.join(SCREENSHOTS, shot.file);
				await page.screenshot({ path: file, fullPage: true });
				expect((await readFile(file)).readUInt32BE(16), 'screenshot width').toBe(390);
				await context.close();
			});
		}
	});
});
