import { expect, test, type Browser, type Page } from '@playwright/test';
import { OIDC_ISSUER } from '../fixtures/oidc';
import { startOidcProvider, type TestProvider } from '../fixtures/oidc-provider';
import {
	ADMIN,
	ADMIN_STATE,
	ANONYMOUS,
	expectNoAxeViolations,
	newPerson,
	open,
	signUp
} from './helpers';

// Sign-in through the co-op's identity provider: a real OpenID Connect provider started here,
// the app configured for it by playwright.config.ts. Last, the admin makes it the only way in,
// and turns that off again so the other journeys can sign in with passwords and links.

test.describe.configure({ mode: 'serial' });

const BUTTON = 'Continue with Co-op Cloud';
const banner = (page: Page) => page.getByRole('banner');
let provider: TestProvider;

test.beforeAll(async ({ baseURL }) => {
	provider = await startOidcProvider(baseURL!);
});

test.afterAll(async ({ browser, baseURL }) => {
	// Whatever happened above, passwords and links work again for everyone else.
	const context = await browser.newContext({ baseURL, storageState: ADMIN_STATE });
	await context.request.post('/admin?/signIn', { form: {}, headers: { origin: baseURL! } });
	await context.close();
	await provider?.stop();
});

/** Press the provider's button on /signin and sign in there as `login`. */
async function signInAtProvider(page: Page, login: string): Promise<void> {
	await open(page, '/signin');
	await page.getByRole('link', { name: BUTTON }).click();
	await expect(page).toHaveURL(new RegExp(`^${OIDC_ISSUER}/`), { timeout: 15_000 });
	await page.getByPlaceholder('Enter any login').fill(login);
	await page.getByPlaceholder('and password').fill('anything');
	await page.getByRole('button', { name: 'Sign-in' }).click();
	// The provider asks once per browser whether the app may have the e-mail and name.
	await page.getByRole('button', { name: 'Continue' }).click();
}

async function freshPage(browser: Browser, baseURL: string | undefined) {
	const context = await browser.newContext({ baseURL, storageState: ANONYMOUS });
	return { context, page: await context.newPage() };
}

test('a first sign-in makes an account; signing out offers the provider’s sign-out', async ({
	browser,
	baseURL
}) => {
	const { context, page } = await freshPage(browser, baseURL);
	const person = newPerson('Noor Provider');
	const login = provider.add({ email: person.email, emailVerified: true, name: person.name });

	await open(page, '/signin');
	await expectNoAxeViolations(page);
	await signInAtProvider(page, login);
	await expect(page).toHaveURL('/tickets');
	await expect(banner(page)).toContainText(`Signed in as ${person.name}`);

	await banner(page).getByRole('button', { name: 'Sign out' }).click();
	await expect(page).toHaveURL('/signout?provider');
	await expect(page.getByRole('heading', { level: 1, name: 'You are signed out' })).toBeVisible();
	await expect(banner(page).getByRole('link', { name: 'Sign in' })).toBeVisible();
	await expectNoAxeViolations(page);
	const out = page.getByRole('link', { name: 'Sign out of Co-op Cloud too' });
	await expect(out).toHaveAttribute('href', new RegExp(`^${OIDC_ISSUER}/`));
	await out.click();
	await page.getByRole('button', { name: 'Yes, sign me out' }).click();
	await expect(page).toHaveURL('/');

	// Signed out at the provider too: it asks for the login again, and the same account returns.
	await open(page, '/signin');
	await page.getByRole('link', { name: BUTTON }).click();
	await page.getByPlaceholder('Enter any login').fill(login);
	await page.getByPlaceholder('and password').fill('anything');
	await page.getByRole('button', { name: 'Sign-in' }).click();
	await page.getByRole('button', { name: 'Continue' }).click();
	await expect(banner(page)).toContainText(`Signed in as ${person.name}`);
	await context.close();
});

test('a verified e-mail leads to the account that already has it', async ({ browser, baseURL }) => {
	const { context, page } = await freshPage(browser, baseURL);
	const person = newPerson('Lin Linked');
	await signUp(page, person);
	await context.clearCookies();

	const login = provider.add({ email: person.email, emailVerified: true, name: 'Another Name' });
	await signInAtProvider(page, login);
	await expect(page).toHaveURL('/tickets');
	// The account's own shown name, not the provider's.
	await expect(banner(page)).toContainText(`Signed in as ${person.name}`);
	await context.close();
});

test('an unverified e-mail at the provider is refused', async ({ browser, baseURL }) => {
	const { context, page } = await freshPage(browser, baseURL);
	const person = newPerson('Una Unverified');
	await signUp(page, person);
	await context.clearCookies();

	// Anyone could type this address at a provider that does not check it.
	const login = provider.add({ email: person.email, emailVerified: false, name: 'Mallory' });
	await signInAtProvider(page, login);
	await expect(
		page.getByRole('heading', { level: 1, name: 'Sign-in not completed' })
	).toBeVisible();
	await expect(page.getByRole('alert')).toHaveText(
		'Your account at the identity provider has no verified e-mail address, so it cannot be tied to an account here. Verify your e-mail address there and try again.'
	);
	await expect(banner(page)).not.toContainText('Signed in as');
	await expectNoAxeViolations(page);
	await context.close();
});

test('a tampered state is refused', async ({ browser, baseURL }) => {
	const { context, page } = await freshPage(browser, baseURL);
	const person = newPerson('Tess Tampered');
	const login = provider.add({ email: person.email, emailVerified: true, name: person.name });
	// The app's redirect to the provider is rewritten on its way to the browser: the provider
	// then hands back a state this browser was never given (its cookie holds the real one).
	// (The provider's redirect back cannot be caught: Playwright does not route redirects.)
	await page.route(
		(url) => url.pathname === '/signin/oidc',
		async (route) => {
			const response = await route.fetch({ maxRedirects: 0 });
			const location = new URL(response.headers()['location']);
			location.searchParams.set('state', 'a-state-this-browser-was-never-given');
			await route.fulfill({
				response,
				headers: { ...response.headers(), location: location.href }
			});
		}
	);
	await signInAtProvider(page, login);
	await expect(page.getByRole('alert')).toHaveText(
		"The identity provider's answer could not be checked, so you are not signed in. Please start again."
	);
	await expect(banner(page)).not.toContainText('Signed in as');

	// Untouched, the same provider account signs in (and gets its account only now); the
	// provider remembers this browser, so it sends it straight back.
	await page.unrouteAll();
	await open(page, '/signin');
	await page.getByRole('link', { name: BUTTON }).click();
	await expect(page).toHaveURL('/tickets');
	await expect(banner(page)).toContainText(`Signed in as ${person.name}`);
	await context.close();
});

test('an admin makes the provider the only way in, and turns it off again', async ({
	browser,
	baseURL
}) => {
	// Three browsers and two trips to the provider.
	test.setTimeout(120_000);
	const admin = await browser.newContext({ baseURL, storageState: ADMIN_STATE });
	const adminPage = await admin.newPage();
	const providerOnly = adminPage.getByRole('checkbox', {
		name: /Only Co-op Cloud signs people in/
	});
	// The admin page has more than one form: this journey is about the sign-in one.
	const signIn = adminPage.getByRole('region', { name: 'Sign-in' });
	const save = (page: Page) =>
		page.getByRole('region', { name: 'Sign-in' }).getByRole('button', { name: 'Save' }).click();

	// Not before the admin has come through the provider: they could lock themselves out.
	await open(adminPage, '/admin');
	await expectNoAxeViolations(adminPage);
	await providerOnly.check();
	await save(adminPage);
	await expect(adminPage.getByText('Sign in with Co-op Cloud yourself once first')).toBeVisible();
	await expect(providerOnly).toHaveAttribute('aria-invalid', 'true');

	const { context: linking, page: linkingPage } = await freshPage(browser, baseURL);
	const login = provider.add({ email: ADMIN.email, emailVerified: true, name: ADMIN.name });
	await signInAtProvider(linkingPage, login);
	await expect(banner(linkingPage)).toContainText(`Signed in as ${ADMIN.name}`);
	await linking.close();

	await open(adminPage, '/admin');
	await providerOnly.check();
	await save(adminPage);
	await expect(signIn.getByRole('status')).toHaveText('Saved.');

	const { context, page } = await freshPage(browser, baseURL);
	await open(page, '/signin');
	await expect(
		page.getByText('On this site you sign in with your Co-op Cloud account.')
	).toBeVisible();
	await expect(page.getByRole('form', { name: 'With your password' })).toHaveCount(0);
	await expect(page.getByRole('form', { name: 'With a link by e-mail' })).toHaveCount(0);
	await page.goto('/signup');
	await expect(page).toHaveURL('/signin');
	// A hand-made password sign-in is refused by the server, not only hidden.
	const post = await context.request.post('/signin?/password', {
		form: { email: ADMIN.email, password: ADMIN.password },
		headers: { origin: baseURL! }
	});
	expect(post.status()).toBe(403);
	expect(await post.text()).toContain(
		'On this site you sign in through the identity provider only.'
	);
	await expect(banner(page)).not.toContainText('Signed in as');

	// Off again: passwords and links are back.
	await open(adminPage, '/admin');
	await providerOnly.uncheck();
	await save(adminPage);
	await expect(signIn.getByRole('status')).toHaveText('Saved.');
	await open(page, '/signin');
	await expect(page.getByRole('form', { name: 'With your password' })).toBeVisible();
	await context.close();
	await admin.close();
});
