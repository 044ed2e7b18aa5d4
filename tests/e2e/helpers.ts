import { randomBytes } from 'node:crypto';
import path from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import {
	expect,
	type Browser,
	type BrowserContext,
	type Locator,
	type Page
} from '@playwright/test';

// Shared by the end-to-end specs. Every spec works on its own events and people; the only data
// they share is the instance admin that setup.e2e.ts creates.

/** The admin's signed-in browser state, written by setup.e2e.ts. */
export const ADMIN_STATE = path.join(import.meta.dirname, '..', 'artifacts', '.auth', 'admin.json');

export const SCREENSHOTS = path.join(import.meta.dirname, '..', 'artifacts', 'screenshots');

export const ADMIN = {
	name: 'Ada Admin',
	email: 'admin@example.org',
	password: 'correct horse battery staple'
};

/** A storage state with nobody signed in, for anonymous visitors. */
export const ANONYMOUS = { cookies: [], origins: [] };

/**
 * Wait until SvelteKit has hydrated the page, so typing is not overwritten by hydration (which
 * resets inputs to their server-rendered values). SvelteKit's router sets
 * history.scrollRestoration to 'manual' once hydration is done; without JavaScript there is
 * no SvelteKit global and nothing to wait for.
 */
export async function hydrated(page: Page): Promise<void> {
	await page.waitForFunction(
		() =>
			!Object.keys(window).some((key) => key.startsWith('__sveltekit_')) ||
			history.scrollRestoration === 'manual'
	);
}

/** Go to `path` and wait until its forms are ready to type into. */
export async function open(page: Page, path: string): Promise<void> {
	await page.goto(path);
	await hydrated(page);
}

export const unique = () => randomBytes(3).toString('hex');

/** A fresh web address for an event, so specs never collide. */
export const uniqueSlug = (prefix: string) => `${prefix}-${unique()}`;

export interface EventDetails {
	name: string;
	slug: string;
	description?: string;
	venue?: string;
	address?: string;
	startDate: string;
	endDate: string;
	timeZone?: string;
	capacity?: string;
}

/** A two-day summer gathering in London (British Summer Time: UTC+1). */
export function summerEvent(overrides: Partial<EventDetails> = {}): Required<EventDetails> {
	const slug = overrides.slug ?? uniqueSlug('gathering');
	return {
		name: `Summer Gathering ${slug}`,
		slug,
		description: 'Two days of **open space**: bring a topic, or come to listen.',
		venue: 'Senate House',
		address: 'Malet Street, London WC1E 7HU',
		startDate: '2030-07-10',
		endDate: '2030-07-11',
		timeZone: 'Europe/London',
		capacity: '120',
		...overrides
	};
}

/** Fill in /manage/new and create the event; works with and without JavaScript. */
export async function createEvent(page: Page, details: EventDetails): Promise<void> {
	await open(page, '/manage/new');
	await fillEventForm(page, details);
	await page.getByRole('button', { name: 'Create event' }).click();
	await expect(page).toHaveURL(`/manage/${details.slug}/schedule`);
	await expect(page.getByRole('heading', { level: 1, name: 'Days and blocks' })).toBeVisible();
}

export async function fillEventForm(page: Page, details: EventDetails): Promise<void> {
	await page.getByLabel('Event name').fill(details.name);
	await page.getByLabel('Web address').fill(details.slug);
	await page.getByLabel('Short description').fill(details.description ?? '');
	await page.getByLabel('Venue').fill(details.venue ?? '');
	await page.getByLabel('Address', { exact: true }).fill(details.address ?? '');
	await page.getByLabel('First day').fill(details.startDate);
	await page.getByLabel('Last day').fill(details.endDate);
	await page.getByLabel('Time zone').fill(details.timeZone ?? 'Europe/London');
	await page.getByLabel('Attendance cap').fill(details.capacity ?? '150');
}

export interface RoomDetails {
	name: string;
	seats: string;
	accessibility?: string;
}

export async function addRoom(page: Page, slug: string, room: RoomDetails): Promise<void> {
	await open(page, `/manage/${slug}/rooms`);
	const form = page.getByRole('region', { name: 'Add room' });
	await form.getByLabel('Room name').fill(room.name);
	await form.getByLabel('Seats').fill(room.seats);
	await form.getByLabel('Accessibility notes').fill(room.accessibility ?? '');
	await form.getByRole('button', { name: 'Add room' }).click();
	await expect(page.getByRole('heading', { level: 2, name: room.name })).toBeVisible();
}

export interface BlockDetails {
	/** Which day of the event, counting from 0. */
	day: number;
	kind: string;
	title: string;
	start: string;
	end: string;
	room?: string;
}

/** Fill the "Add block" form on the schedule page without submitting it. */
export async function fillBlockForm(page: Page, block: BlockDetails): Promise<void> {
	await hydrated(page);
	const form = page.getByRole('region', { name: 'Add block' });
	await form.getByLabel('Day').selectOption({ index: block.day });
	await form.getByLabel('Kind').selectOption({ label: block.kind });
	await form.getByLabel('Title').fill(block.title);
	await form.getByLabel('Starts').fill(block.start);
	await form.getByLabel('Ends').fill(block.end);
	await form.getByLabel('Room').selectOption({ label: block.room ?? 'No particular room' });
}

export async function addBlock(page: Page, slug: string, block: BlockDetails): Promise<void> {
	if (!page.url().endsWith(`/manage/${slug}/schedule`)) await page.goto(`/manage/${slug}/schedule`);
	await fillBlockForm(page, block);
	await page
		.getByRole('region', { name: 'Add block' })
		.getByRole('button', { name: 'Add block' })
		.click();
	const day = page.locator('main section[aria-labelledby^="day-"]').nth(block.day);
	const row = day.locator('tbody tr').filter({ hasText: block.title });
	await expect(row.filter({ hasText: `${block.start}–${block.end}` })).toHaveCount(1);
}

export async function publish(page: Page, slug: string): Promise<void> {
	await open(page, `/manage/${slug}`);
	await page.getByRole('button', { name: 'Publish' }).click();
	await expect(page.getByRole('button', { name: 'Back to draft' })).toBeVisible();
}

export interface Person {
	name: string;
	email: string;
	password: string;
}

export const newPerson = (name = 'Pat Person'): Person => {
	const id = unique();
	return {
		name: `${name} ${id}`,
		email: `person-${id}@example.org`,
		password: 'a long enough password'
	};
};

/**
 * Create an account through /signup, then sign in with its password; the page ends signed in
 * as that person. The sign-up answer is the same for a new and a known address.
 */
export async function signUp(page: Page, person: Person): Promise<void> {
	await open(page, '/signup');
	await page.getByLabel('Name').fill(person.name);
	await page.getByLabel('E-mail address').fill(person.email);
	await page.getByLabel('Password').fill(person.password);
	await page.getByRole('button', { name: 'Sign up' }).click();
	await expect(page.getByRole('status')).toHaveText(
		`We sent a message to ${person.email}. Check your inbox to continue.`
	);
	await open(page, '/signin');
	const form = page.getByRole('form', { name: 'With your password' });
	await form.getByLabel('E-mail address').fill(person.email);
	await form.getByLabel('Password').fill(person.password);
	await form.getByRole('button', { name: 'Sign in' }).click();
	// An account that runs nothing lands on its tickets.
	await expect(page).toHaveURL('/tickets');
	await expect(page.getByRole('banner')).toContainText(`Signed in as ${person.name}`);
}

/** A new browser context signed in as the instance admin. Close it when done. */
export async function adminContext(browser: Browser, baseURL: string | undefined) {
	return browser.newContext({ baseURL, storageState: ADMIN_STATE });
}

/**
 * The first link in the newest outbox message to `to` whose subject matches, read as the
 * instance admin at /admin/outbox.
 */
export async function newestOutboxLink(
	browser: Browser,
	baseURL: string | undefined,
	to: string,
	subject: string | RegExp
): Promise<string> {
	const context = await adminContext(browser, baseURL);
	try {
		const page = await context.newPage();
		await open(page, '/admin/outbox');
		const message = page
			.locator('article.message')
			.filter({ hasText: `To ${to} ·` })
			.filter({ has: page.getByRole('heading', { name: subject }) })
			.first();
		await expect(message).toBeVisible();
		const href = await message.getByRole('link').first().getAttribute('href');
		expect(href, `a link in the newest message to ${to}`).toBeTruthy();
		return href!;
	} finally {
		await context.close();
	}
}

/**
 * The field shows `message` as its error: inside the same `.field` as the input, marked
 * aria-invalid and tied to it by aria-describedby.
 */
export async function expectFieldError(input: Locator, message: string): Promise<void> {
	await expect(input).toHaveAttribute('aria-invalid', 'true');
	const field = input.locator('xpath=..');
	await expect(field).toHaveClass(/\bfield\b/);
	await expect(field.locator('.error')).toHaveText(message);
	await expect(input).toHaveAccessibleDescription(new RegExp(escapeRegExp(message)));
}

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

export const WCAG_TAGS = ['wcag2a', 'wcag2aa', 'wcag21aa', 'wcag22aa'];

/** Run axe on the page as it is now; fail with one readable line per problem. */
export async function expectNoAxeViolations(page: Page): Promise<void> {
	// Scan the finished page: styles loaded (contrast, target sizes) and hydrated.
	await page.waitForLoadState('load');
	await hydrated(page);
	// A sandboxed frame (a mail shown in the outbox) runs no scripts, so axe cannot look inside.
	const results = await new AxeBuilder({ page })
		.withTags(WCAG_TAGS)
		.exclude('iframe[sandbox]')
		.analyze();
	const readable = results.violations.flatMap((v) =>
		v.nodes.map(
			(n) =>
				`${v.id} (${v.impact}) ${v.help} at ${n.target.join(' ')}: ${n.failureSummary?.replace(/\s+/g, ' ')} [${v.helpUrl}]`
		)
	);
	expect(readable, `axe violations on ${page.url()}`).toEqual([]);
	expect(results.violations).toEqual([]);
	// axe 4.x no longer reports duplicate ids under WCAG 2.2; a label, an aria reference or an
	// anchor pointing at a duplicated id reaches the wrong element, so the page is checked here.
	const duplicates = await page.evaluate(() => {
		const seen = new Map<string, number>();
		for (const el of document.querySelectorAll('[id]')) seen.set(el.id, (seen.get(el.id) ?? 0) + 1);
		return [...seen].filter(([, n]) => n > 1).map(([id, n]) => `${id} (${n}×)`);
	});
	expect(duplicates, `duplicate ids on ${page.url()}`).toEqual([]);
}

export interface TicketTypeDetails {
	name: string;
	/** The pricing as the organiser's form labels it. */
	pricing: 'Fixed price' | 'Pay what you can' | 'Free';
	/** For a fixed price, in euros: "30" or "30.00". */
	price?: string;
	/** For pay what you can. */
	minPrice?: string;
	suggestedPrice?: string;
	maxPrice?: string;
	quota?: string;
	/** Tickets one person may have; the form starts at 1. */
	perPerson?: string;
	description?: string;
}

/** Add a ticket type on /manage/<slug>/tickets (events sell in euros unless changed). */
export async function addTicketType(
	page: Page,
	slug: string,
	type: TicketTypeDetails
): Promise<void> {
	await open(page, `/manage/${slug}/tickets`);
	const form = page.getByRole('region', { name: 'Add ticket type' });
	await form.getByRole('textbox', { name: 'Name', exact: true }).fill(type.name);
	await form.getByLabel('Description (optional)').fill(type.description ?? '');
	await form.getByRole('radio', { name: new RegExp(`^${type.pricing}`) }).check();
	if (type.pricing === 'Fixed price') await form.getByLabel('Price (EUR)').fill(type.price ?? '');
	if (type.pricing === 'Pay what you can') {
		await form.getByLabel('Minimum (EUR)').fill(type.minPrice ?? '');
		await form.getByLabel('Suggested (EUR)').fill(type.suggestedPrice ?? '');
		await form.getByLabel('Maximum (EUR)').fill(type.maxPrice ?? '');
	}
	await form.getByLabel('Quota (optional)').fill(type.quota ?? '');
	if (type.perPerson) await form.getByLabel('Tickets per person').fill(type.perPerson);
	await form.getByRole('button', { name: 'Add ticket type' }).click();
	await expect(form.getByRole('status')).toHaveText('Ticket type added.');
	await expect(page.getByRole('heading', { level: 3, name: type.name })).toBeVisible();
}

/**
 * As the organiser on `page`: create the event, add its ticket types and publish it, all
 * through the management pages.
 */
export async function createTicketedEvent(
	page: Page,
	event: EventDetails,
	types: TicketTypeDetails[]
): Promise<void> {
	await createEvent(page, event);
	for (const type of types) await addTicketType(page, event.slug, type);
	await publish(page, event.slug);
}

/** The order form on /e/<slug>/tickets (or a claim page). */
export const orderForm = (page: Page) => page.getByRole('region', { name: 'Get a ticket' });

/**
 * On the buy page: choose the ticket type (when there is a choice), fill in whom it is for and
 * send the form. Name and e-mail are left as they are (a signed-in buyer's own) unless given.
 */
export async function orderTicket(
	page: Page,
	order: { type?: string; name?: string; email?: string; amount?: string } = {}
): Promise<void> {
	await hydrated(page);
	const form = orderForm(page);
	if (order.type) await form.getByRole('radio', { name: new RegExp(`^${order.type}`) }).check();
	if (order.amount !== undefined) await form.getByLabel(/^Your amount/).fill(order.amount);
	if (order.name !== undefined) await form.getByLabel("Attendee's name").fill(order.name);
	if (order.email !== undefined)
		await form.getByLabel("Attendee's e-mail address").fill(order.email);
	await form.getByRole('button', { name: 'Get my ticket' }).click();
}

/**
 * Someone not signed in who ordered on `page`: the page says to check the mail; the link in it
 * (read from the outbox, as from their inbox) shows the order, and confirming it signs them in
 * and lands on the ticket. Returns the link.
 */
export async function confirmByMail(
	page: Page,
	browser: Browser,
	baseURL: string | undefined,
	event: { name: string; slug: string },
	person: { name: string; email: string }
): Promise<string> {
	await expect(page.getByRole('status').filter({ hasText: 'Almost there' })).toHaveText(
		`Almost there: we have sent a link to ${person.email}. Open it to confirm your address and get your ticket. No seat is kept for you until then, so do it soon.`
	);
	const link = await newestOutboxLink(
		browser,
		baseURL,
		person.email,
		`Confirm your ticket for ${event.name}`
	);
	expect(new URL(link).pathname).toMatch(new RegExp(`^/e/${event.slug}/tickets/confirm/[^/]+$`));
	await open(page, link);
	await expect(page.getByRole('heading', { level: 1, name: 'Confirm your ticket' })).toBeVisible();
	await expect(
		page.getByText(`A ticket for ${event.name} was ordered for ${person.email}. Is that you?`)
	).toBeVisible();
	await page.getByRole('button', { name: 'Confirm and get my ticket' }).click();
	await expectTicket(page, event.slug, person.name);
	await expect(page.getByRole('banner')).toContainText(`Signed in as ${person.name}`);
	return link;
}

/** A ticket page: its QR code for the door and its code, which is returned. */
export async function expectTicket(page: Page, slug: string, holder: string): Promise<string> {
	await expect(page).toHaveURL(new RegExp(`/e/${slug}/tickets/\\d+$`));
	await expect(page.getByRole('heading', { level: 1, name: 'Your ticket' })).toBeVisible();
	const qr = page.getByRole('img', { name: `QR code to check ${holder} in at the door` });
	await expect(qr).toBeVisible();
	await expect(qr.locator('svg path').first()).toBeAttached();
	const code = page.locator('.qr-box .code code');
	await expect(code).toHaveText(/^[a-z2-9]{20}$/);
	return (await code.textContent())!;
}

/** A newly signed-up person with a free ticket to the event, in a browser context of their own. */
export async function ticketHolder(
	browser: Browser,
	baseURL: string | undefined,
	slug: string,
	person: Person
): Promise<{ context: BrowserContext; page: Page }> {
	const context = await browser.newContext({ baseURL, storageState: ANONYMOUS });
	const page = await context.newPage();
	await signUp(page, person);
	await open(page, `/e/${slug}/tickets`);
	await orderTicket(page);
	await expect(page.getByRole('heading', { level: 1, name: 'Your ticket' })).toBeVisible();
	return { context, page };
}

/** An agenda or marketplace card, found by its heading. */
export const cardOf = (page: Page, title: string) =>
	page.getByRole('article').filter({ has: page.getByRole('heading', { name: title }) });
