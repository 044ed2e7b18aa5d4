import { expect, test, type Page } from '@playwright/test';
import {
	ADMIN,
	adminContext,
	createEvent,
	expectFieldError,
	hydrated,
	newestOutboxLink,
	newPerson,
	open,
	signUp,
	summerEvent
} from './helpers';

// Accounts: signing up, signing out, signing in by e-mailed link or password, and joining an
// event's team by invitation. The "mail" is read from the admin's outbox.

const banner = (page: Page) => page.getByRole('banner');

async function signOut(page: Page) {
	await banner(page).getByRole('button', { name: 'Sign out' }).click();
	await expect(page).toHaveURL('/');
	await expect(banner(page).getByRole('link', { name: 'Sign in' })).toBeVisible();
	await expect(banner(page)).not.toContainText('Signed in as');
}

test('sign up, sign out, and sign in again with a single-use e-mailed link', async ({
	page,
	browser,
	baseURL
}) => {
	const person = newPerson();
	await signUp(page, person);
	await signOut(page);

	await open(page, '/signin');
	const linkForm = page.getByRole('form', { name: 'With a link by e-mail' });
	await linkForm.getByLabel('E-mail address').fill(person.email);
	await linkForm.getByRole('button', { name: 'E-mail me a link' }).click();
	await expect(linkForm.getByRole('status')).toHaveText(
		`If ${person.email} has an account, a sign-in link is on its way. Check your inbox.`
	);

	const link = await newestOutboxLink(
		browser,
		baseURL,
		person.email,
		'Your Commonspace sign-in link'
	);
	expect(new URL(link).pathname).toMatch(/^\/signin\/link\/[^/]+$/);

	await open(page, link);
	await expect(page.getByText(`Sign in as ${person.email}?`)).toBeVisible();
	// Opening the link alone does not sign in (mail scanners open links too).
	await expect(banner(page)).not.toContainText('Signed in as');
	await page.getByRole('main').getByRole('button', { name: 'Sign in' }).click();
	await expect(page).toHaveURL('/tickets');
	await expect(banner(page)).toContainText(`Signed in as ${person.name}`);

	// The link works once.
	await signOut(page);
	await page.goto(link);
	await expect(page.getByText('This link has expired or has been used already.')).toBeVisible();
	await expect(page.getByRole('main').getByRole('button', { name: 'Sign in' })).toHaveCount(0);
	await expect(banner(page)).not.toContainText('Signed in as');
});

test('signing up with an address that has an account tells nothing and mails its owner', async ({
	page,
	browser,
	baseURL
}) => {
	const person = newPerson();
	await signUp(page, person);
	await signOut(page);

	await open(page, '/signup');
	await page.getByLabel('Name').fill('Someone Else');
	await page.getByLabel('E-mail address').fill(person.email);
	await page.getByLabel('Password').fill('another long password');
	await page.getByRole('button', { name: 'Sign up' }).click();
	// The very answer a new address gets.
	await expect(page.getByRole('status')).toHaveText(
		`We sent a message to ${person.email}. Check your inbox to continue.`
	);
	await expect(page.getByText('exists already')).toHaveCount(0);
	await expect(banner(page)).not.toContainText('Signed in as');

	const link = await newestOutboxLink(
		browser,
		baseURL,
		person.email,
		'You already have a Commonspace account'
	);
	expect(new URL(link).pathname).toMatch(/^\/signin\/link\/[^/]+$/);
});

test('a wrong password is reported next to the password field and the e-mail is kept', async ({
	page
}) => {
	const person = newPerson();
	await signUp(page, person);
	await signOut(page);

	await open(page, '/signin');
	const form = page.getByRole('form', { name: 'With your password' });
	await form.getByLabel('E-mail address').fill(person.email);
	await form.getByLabel('Password').fill('not the right password');
	await form.getByRole('button', { name: 'Sign in' }).click();

	const password = form.getByLabel('Password');
	await expectFieldError(password, 'That e-mail address and password do not match an account.');
	await expect(form.getByLabel('E-mail address')).toHaveValue(person.email);
	await expect(password).toHaveValue('');
	await expect(banner(page)).not.toContainText('Signed in as');

	// The right password signs in.
	await password.fill(person.password);
	await form.getByRole('button', { name: 'Sign in' }).click();
	await expect(page).toHaveURL('/tickets');
	await expect(banner(page)).toContainText(`Signed in as ${person.name}`);
});

test('an invited facilitator joins the team and sees the event without the publish controls', async ({
	page,
	browser,
	baseURL
}) => {
	const person = newPerson('Fran Facilitator');
	await signUp(page, person);

	const event = summerEvent();
	const admin = await adminContext(browser, baseURL);
	const organiser = await admin.newPage();
	await createEvent(organiser, event);
	await organiser.getByRole('link', { name: 'Team' }).click();
	await expect(organiser).toHaveURL(`/manage/${event.slug}/team`);
	await hydrated(organiser);
	const invite = organiser.getByRole('region', { name: 'Invite someone' });
	await invite.getByLabel('E-mail address').fill(person.email);
	await invite.getByLabel('Role').selectOption('facilitator');
	await invite.getByRole('button', { name: 'Send invitation' }).click();
	await expect(invite.getByRole('status')).toHaveText(`Invitation sent to ${person.email}.`);
	await expect(
		organiser.getByRole('region', { name: 'Invitations not yet accepted' })
	).toContainText(person.email);

	const link = await newestOutboxLink(
		browser,
		baseURL,
		person.email,
		`You are invited to help run ${event.name}`
	);
	await open(page, link);
	await expect(page.getByRole('heading', { level: 1, name: 'Join the team' })).toBeVisible();
	await expect(
		page.getByText(`You are invited to help run ${event.name} as facilitator.`)
	).toBeVisible();
	await page.getByRole('button', { name: 'Accept the invitation' }).click();

	await expect(page).toHaveURL(`/manage/${event.slug}`);
	await expect(page.getByRole('heading', { level: 1, name: 'Overview' })).toBeVisible();
	await expect(page.locator('.event-title')).toContainText(event.name);
	await expect(page.getByRole('button', { name: 'Publish' })).toHaveCount(0);
	await expect(page.getByRole('region', { name: 'Status' })).toHaveCount(0);
	await expect(page.getByRole('button', { name: 'Save' })).toHaveCount(0);
	const subnav = page.getByRole('navigation', { name: 'Event management' });
	await expect(subnav.getByRole('link', { name: 'Team' })).toBeVisible();
	await expect(subnav.getByRole('link', { name: 'Activity' })).toHaveCount(0);

	// The organiser sees the new team member; the invitation is used up.
	await organiser.reload();
	const members = organiser.getByRole('region', { name: 'Members' });
	await expect(members.getByRole('row', { name: new RegExp(person.name) })).toContainText(
		'facilitator'
	);
	await admin.close();
	await page.goto(link);
	await expect(
		page.getByText('This invitation has expired, been withdrawn or been used already.')
	).toBeVisible();
});

test('after sign-in, a return target never leads off this site, and a newline is no error', async ({
	browser,
	baseURL
}) => {
	// The reported phish: `/`, tab, `/localhost:4999/phish`, which browsers read as another host.
	const phish = '%2F%09%2Flocalhost%3A4999%2Fphish';
	const admin = await adminContext(browser, baseURL);
	const page = await admin.newPage();
	await page.goto(`/signin?redirectTo=${phish}`);
	await expect(page).toHaveURL('/manage');
	expect(new URL(page.url()).origin).toBe(new URL(baseURL!).origin);

	// Every way in answers with a path on this site: signed in at /signin and /signup, the
	// password form, the language switch. `%0A` (a newline) once made the server answer 500.
	const targets = [phish, '%2F%0A%2Flocalhost%3A4999%2Fphish', '%2F%5C%2Flocalhost%3A4999'];
	const form = (fields: Record<string, string>) => ({
		form: fields,
		headers: { origin: new URL(baseURL!).origin, accept: 'text/html' },
		maxRedirects: 0
	});
	for (const target of targets) {
		const decoded = decodeURIComponent(target);
		const answers = [
			await page.request.get(`/signin?redirectTo=${target}`, { maxRedirects: 0 }),
			await page.request.get(`/signup?redirectTo=${target}`, { maxRedirects: 0 }),
			await page.request.post('/locale', form({ locale: 'en', redirectTo: decoded }))
		];
		for (const answer of answers) {
			expect(answer.status(), `${answer.url()} for ${target}`).toBe(303);
			expect(answer.headers().location).toMatch(/^\/(?![/\\])/);
		}
	}
	await admin.close();

	const visitor = await browser.newContext({ baseURL, storageState: { cookies: [], origins: [] } });
	const password = await visitor.request.post(
		'/signin?/password',
		form({ email: ADMIN.email, password: ADMIN.password, redirectTo: '/\t/localhost:4999/phish' })
	);
	expect(password.status()).toBe(303);
	expect(password.headers().location).toBe('/manage');
	await visitor.close();
});
