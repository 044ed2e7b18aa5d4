import { expect, test } from '@playwright/test';
import { ADMIN, ADMIN_STATE, ANONYMOUS, hydrated, open } from './helpers';

// The first start of an empty instance: whoever arrives first creates the administrator. Every
// other spec signs in with the browser state saved here.

test.describe.configure({ mode: 'serial' });

test('first start: create the administrator with the demo event', async ({ page }) => {
	await page.goto('/');
	await expect(page).toHaveURL('/setup');
	await expect(page.getByRole('heading', { level: 1, name: 'Set up Commonspace' })).toBeVisible();
	await hydrated(page);

	await page.getByLabel('Name').fill(ADMIN.name);
	await page.getByLabel('E-mail address').fill(ADMIN.email);
	await page.getByLabel('Password').fill(ADMIN.password);
	await expect(page.getByLabel('Also load the demo event')).toBeChecked();
	await page.getByRole('button', { name: 'Create administrator' }).click();

	// The demo event's manage page: "OPEN <year> Community Gathering" at /manage/open-<year>.
	await expect(page).toHaveURL(/\/manage\/open-\d{4}$/);
	const year = page.url().match(/open-(\d{4})$/)![1];
	await expect(page.getByRole('banner')).toContainText(`Signed in as ${ADMIN.name}`);
	await expect(page.locator('.event-title')).toContainText(`OPEN ${year} Community Gathering`);

	await page.getByRole('link', { name: 'Days and blocks' }).click();
	await expect(page.locator('main section[aria-labelledby^="day-"]')).toHaveCount(2);
	await expect(
		page.getByRole('heading', { level: 2, name: /Day 1: connect and co-design/ })
	).toBeVisible();
	await expect(
		page.getByRole('heading', { level: 2, name: /Day 2: deepen and harvest/ })
	).toBeVisible();

	await page.getByRole('link', { name: 'Rooms' }).click();
	await expect(page.getByText('Rooms: 5. Seats in all rooms: 300.')).toBeVisible();
	for (const room of [
		'Beveridge Hall',
		"Chancellor's Hall",
		'Court Room',
		'Senate Room',
		'Room 349'
	]) {
		await expect(page.getByRole('heading', { level: 2, name: room })).toBeVisible();
	}

	await page.goto('/manage');
	await expect(page.getByRole('link', { name: `OPEN ${year} Community Gathering` })).toBeVisible();

	await page.context().storageState({ path: ADMIN_STATE });
});

test('setup is one-time: /setup redirects away once the admin exists', async ({
	browser,
	baseURL
}) => {
	for (const storageState of [ADMIN_STATE, ANONYMOUS]) {
		const context = await browser.newContext({ baseURL, storageState });
		const page = await context.newPage();
		await page.goto('/setup');
		await expect(page).toHaveURL('/');
		await expect(
			page.getByRole('heading', { level: 1, name: 'Open-space gatherings' })
		).toBeVisible();
		await expect(page.getByRole('button', { name: 'Create administrator' })).toHaveCount(0);
		await context.close();
	}
	// A hand-made POST to the setup form does not create a second administrator either.
	const context = await browser.newContext({ baseURL, storageState: ANONYMOUS });
	const mallory = {
		name: 'Mallory',
		email: 'mallory@example.org',
		password: 'another long password'
	};
	await context.request.post('/setup', { form: mallory, headers: { origin: baseURL! } });
	const page = await context.newPage();
	await open(page, '/signin');
	const form = page.getByRole('form', { name: 'With your password' });
	await form.getByLabel('E-mail address').fill(mallory.email);
	await form.getByLabel('Password').fill(mallory.password);
	await form.getByRole('button', { name: 'Sign in' }).click();
	await expect(
		page.getByText('That e-mail address and password do not match an account.')
	).toBeVisible();
	await context.close();
});
