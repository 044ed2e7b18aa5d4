import { mkdirSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import {
	addBlock,
	addRoom,
	adminContext,
	ADMIN_STATE,
	ANONYMOUS,
	createEvent,
	expectNoAxeViolations,
	newestOutboxLink,
	newPerson,
	open,
	publish,
	SCREENSHOTS,
	signUp,
	summerEvent,
	unique,
	uniqueSlug
} from './helpers';

// Every page passes an axe scan against WCAG 2.2 AA, the public page and the schedule read on a
// phone and on a projector, and the interface switches to Catalan.

const event = summerEvent({ slug: uniqueSlug('a11y'), name: 'Accessible Gathering' });
let signInLink = '';
let inviteLink = '';

test.beforeAll(async ({ browser }, testInfo) => {
	testInfo.setTimeout(120_000);
	const baseURL = testInfo.project.use.baseURL;
	const admin = await adminContext(browser, baseURL);
	const page = await admin.newPage();
	await createEvent(page, event);
	await addRoom(page, event.slug, {
		name: 'Main Hall',
		seats: '120',
		accessibility: 'Step-free; hearing loop.'
	});
	await addRoom(page, event.slug, { name: 'Garden Room', seats: '30' });
	await addBlock(page, event.slug, {
		day: 0,
		kind: 'Plenary',
		title: 'Opening circle',
		start: '09:00',
		end: '09:45',
		room: 'Main Hall'
	});
	await addBlock(page, event.slug, {
		day: 0,
		kind: 'Lightning talks',
		title: 'Lightning talks',
		start: '09:45',
		end: '10:30',
		room: 'Main Hall'
	});
	await addBlock(page, event.slug, {
		day: 0,
		kind: 'Session round',
		title: 'Session round 1',
		start: '11:00',
		end: '12:00',
		room: 'Garden Room'
	});
	await addBlock(page, event.slug, {
		day: 1,
		kind: 'Social',
		title: 'Farewell drinks',
		start: '17:00',
		end: '19:00'
	});
	await publish(page, event.slug);

	// A pending invitation (for the team page and the invite page).
	const guest = `guest-${unique()}@example.org`;
	await open(page, `/manage/${event.slug}/team`);
	const invite = page.getByRole('region', { name: 'Invite someone' });
	await invite.getByLabel('E-mail address').fill(guest);
	await invite.getByRole('button', { name: 'Send invitation' }).click();
	await expect(invite.getByRole('status')).toContainText(guest);
	inviteLink = await newestOutboxLink(browser, baseURL, guest, /You are invited/);
	await admin.close();

	// A sign-in link (opening it only shows a button; it stays unused). A person of its own, so
	// the admin's hourly mail allowance is not spent when this set-up runs again after a retry.
	const visitor = await browser.newContext({ baseURL, storageState: ANONYMOUS });
	const signin = await visitor.newPage();
	const person = newPerson('Lin Reader');
	await signUp(signin, person);
	await visitor.clearCookies();
	await open(signin, '/signin');
	const form = signin.getByRole('form', { name: 'With a link by e-mail' });
	await form.getByLabel('E-mail address').fill(person.email);
	await form.getByRole('button', { name: 'E-mail me a link' }).click();
	await expect(form.getByRole('status')).toBeVisible();
	signInLink = await newestOutboxLink(
		browser,
		baseURL,
		person.email,
		'Your Commonspace sign-in link'
	);
	await visitor.close();
});

interface Scan {
	name: string;
	path: () => string;
	/** What the page must show before the scan, so a blank page cannot pass. */
	heading: string | RegExp;
	/** Bring the page into the state to scan, e.g. a failed submission. */
	prepare?: (page: Page) => Promise<void>;
}

async function scan(page: Page, { path, heading, prepare }: Scan) {
	await open(page, path());
	await prepare?.(page);
	await expect(page.getByRole('heading', { level: 1, name: heading })).toBeVisible();
	await expectNoAxeViolations(page);
}

const anonymousPages: Scan[] = [
	{ name: 'sign-in page', path: () => '/signin', heading: 'Sign in' },
	{
		name: 'sign-in page with errors',
		path: () => '/signin',
		heading: 'Sign in',
		prepare: async (page) => {
			await page.getByRole('button', { name: 'Sign in', exact: true }).click();
			await expect(page.locator('.field .error').first()).toBeVisible();
		}
	},
	{ name: 'sign-up page', path: () => '/signup', heading: 'Sign up' },
	{
		name: 'sign-up page with errors',
		path: () => '/signup',
		heading: 'Sign up',
		prepare: async (page) => {
			await page.getByRole('button', { name: 'Sign up' }).click();
			await expect(page.locator('.field .error')).toHaveCount(3);
		}
	},
	{ name: 'password reset page', path: () => '/reset', heading: 'Reset your password' },
	{ name: 'public event page', path: () => `/e/${event.slug}`, heading: event.name },
	{ name: 'home page', path: () => '/', heading: 'Open-space gatherings' },
	{ name: 'sign-in link page', path: () => signInLink, heading: 'Sign in' },
	{
		name: 'used or unknown sign-in link',
		path: () => '/signin/link/not-a-real-token',
		heading: 'Sign in'
	},
	{ name: 'invite page (signed out)', path: () => inviteLink, heading: 'Join the team' },
	{ name: '404 page', path: () => `/no-such-page-${unique()}`, heading: 'Page not found' }
];

const adminPages: Scan[] = [
	{ name: 'manage page', path: () => '/manage', heading: 'Your events' },
	{ name: 'create-event page', path: () => '/manage/new', heading: 'Create event' },
	{
		name: 'create-event page with errors',
		path: () => '/manage/new',
		heading: 'Create event',
		prepare: async (page) => {
			await page.getByLabel('Last day').fill('2030-01-01');
			await page.getByLabel('First day').fill('2030-01-05');
			await page.getByLabel('Time zone').fill('Mars/Olympus');
			await page.getByRole('button', { name: 'Create event' }).click();
			await expect(page.getByLabel('Time zone')).toHaveAttribute('aria-invalid', 'true');
		}
	},
	{ name: 'event overview', path: () => `/manage/${event.slug}`, heading: 'Overview' },
	{
		name: 'schedule page',
		path: () => `/manage/${event.slug}/schedule`,
		heading: 'Days and blocks'
	},
	{
		name: 'schedule page with an open block editor and an error',
		path: () => `/manage/${event.slug}/schedule`,
		heading: 'Days and blocks',
		prepare: async (page) => {
			const form = page.getByRole('region', { name: 'Add block' });
			await form.getByLabel('Title').fill('Backwards');
			await form.getByLabel('Starts').fill('12:00');
			await form.getByLabel('Ends').fill('11:00');
			await form.getByRole('button', { name: 'Add block' }).click();
			await expect(form.getByLabel('Ends')).toHaveAttribute('aria-invalid', 'true');
			await page.locator('summary', { hasText: 'Opening circle' }).click();
		}
	},
	{ name: 'rooms page', path: () => `/manage/${event.slug}/rooms`, heading: 'Rooms' },
	{ name: 'team page', path: () => `/manage/${event.slug}/team`, heading: 'Team' },
	{ name: 'activity page', path: () => `/manage/${event.slug}/activity`, heading: 'Activity' },
	{ name: 'outbox', path: () => '/admin/outbox', heading: 'Outbox' },
	{ name: 'invite page (signed in)', path: () => inviteLink, heading: 'Join the team' }
];

test.describe('axe, signed out', () => {
	test.use({ storageState: ANONYMOUS });
	for (const page of anonymousPages) {
		test(`${page.name} has no WCAG 2.2 AA violations`, async ({ page: p }) => scan(p, page));
	}
});

test.describe('axe, signed in as admin', () => {
	test.use({ storageState: ADMIN_STATE });
	for (const page of adminPages) {
		test(`${page.name} has no WCAG 2.2 AA violations`, async ({ page: p }) => scan(p, page));
	}
});

const sizes = [
	{ label: 'phone', width: 390, height: 844 },
	{ label: 'projector', width: 1920, height: 1080 }
];

/** The width in pixels of a PNG file, from its IHDR chunk. */
const pngWidth = (png: Buffer) => png.readUInt32BE(16);

for (const size of sizes) {
	test.describe(`at ${size.label} size (${size.width}×${size.height})`, () => {
		test.use({ viewport: { width: size.width, height: size.height }, storageState: ADMIN_STATE });
		test.beforeAll(() => mkdirSync(SCREENSHOTS, { recursive: true }));

		const shots = [
			{ name: 'event', path: () => `/e/${event.slug}`, heading: event.name },
			{ name: 'schedule', path: () => `/manage/${event.slug}/schedule`, heading: 'Days and blocks' }
		];
		for (const shot of shots) {
			test(`the ${shot.name} page fits without sideways scrolling`, async ({ page }) => {
				await page.goto(shot.path());
				await expect(page.getByRole('heading', { level: 1, name: shot.heading })).toBeVisible();
				const scrollWidth = await page.evaluate(() => document.documentElement.scrollWidth);
				expect(scrollWidth, 'page width including overflow').toBeLessThanOrEqual(size.width);
				const file = path.join(SCREENSHOTS, `${shot.name}-${size.label}.png`);
				await page.screenshot({ path: file, fullPage: true });
				expect(pngWidth(await readFile(file))).toBe(size.width);
			});
		}

		test('the management pages fit without sideways scrolling', async ({ page }) => {
			const base = `/manage/${event.slug}`;
			for (const where of [
				'/manage',
				'/manage/new',
				base,
				`${base}/rooms`,
				`${base}/team`,
				`${base}/activity`,
				'/admin/outbox'
			]) {
				await page.goto(where);
				await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
				const scrollWidth = await page.evaluate(() => document.documentElement.scrollWidth);
				expect(scrollWidth, `width of ${where} including overflow`).toBeLessThanOrEqual(size.width);
			}
		});
	});
}

test.describe('language', () => {
	test.use({ storageState: ANONYMOUS });

	test('choosing Català shows the interface in Catalan', async ({ page }) => {
		await open(page, '/signin');
		await expect(page.locator('html')).toHaveAttribute('lang', 'en');
		const banner = page.getByRole('banner');
		// The language menu: a disclosure in the header, one button per language.
		await banner.locator('summary').filter({ hasText: 'Language: English' }).click();
		await banner.getByRole('button', { name: 'Català' }).click();

		await expect(page).toHaveURL('/signin');
		await expect(page.locator('html')).toHaveAttribute('lang', 'ca');
		await expect(banner.getByRole('link', { name: 'Inicia la sessió' })).toBeVisible();
		await expect(page.getByRole('heading', { level: 1, name: 'Inicia la sessió' })).toBeVisible();
		const menu = banner.locator('summary').filter({ hasText: 'Llengua: Català' });
		await menu.click();
		await expect(banner.getByRole('button', { name: 'Català' })).toHaveAttribute(
			'aria-current',
			'true'
		);
		await expectNoAxeViolations(page);

		// And back.
		await banner.getByRole('button', { name: 'English' }).click();
		await expect(page.locator('html')).toHaveAttribute('lang', 'en');
		await expect(banner.getByRole('link', { name: 'Sign in' })).toBeVisible();
	});
});
