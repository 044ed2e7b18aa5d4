import { existsSync } from 'node:fs';
import { defineConfig, devices } from '@playwright/test';
import { FAKE_WEBHOOK_SECRET } from './tests/fixtures/fake-stripe';
import { OIDC_CLIENT, OIDC_ISSUER } from './tests/fixtures/oidc';

// Debian's Chromium where it is installed (Playwright cannot download its own everywhere);
// otherwise Playwright's own browser.
const systemChromium = '/usr/bin/chromium';
const launchOptions = existsSync(systemChromium)
	? {
			executablePath: systemChromium,
			args: [
				'--disable-background-networking',
				'--disable-component-update',
				'--no-first-run',
				'--disable-sync'
			]
		}
	: {};

// Other ports can be chosen, so two checkouts can run their journeys side by side.
const PORT = Number(process.env.E2E_PORT ?? 4173);
const FAKE_STRIPE_PORT = Number(process.env.FAKE_STRIPE_PORT ?? 12111);

export default defineConfig({
	testDir: 'tests/e2e',
	testMatch: '**/*.e2e.ts',
	outputDir: 'tests/artifacts/results',
	fullyParallel: false,
	workers: 1,
	retries: process.env.CI ? 1 : 0,
	reporter: process.env.CI
		? [['list']]
		: [['list'], ['html', { open: 'never', outputFolder: 'playwright-report' }]],
	timeout: 60_000,
	use: {
		baseURL: `http://localhost:${PORT}`,
		trace: 'retain-on-failure',
		screenshot: 'only-on-failure',
		launchOptions
	},
	projects: [
		// The first-start journey creates the admin; every other spec signs in as that admin.
		{
			name: 'setup',
			testMatch: /setup\.e2e\.ts/,
			use: { ...devices['Desktop Chrome'], launchOptions }
		},
		{
			name: 'chromium',
			testIgnore: /setup\.e2e\.ts/,
			dependencies: ['setup'],
			use: { ...devices['Desktop Chrome'], launchOptions }
		}
	],
	webServer: [
		{
			// Stripe's API and hosted payment page, faked; it delivers signed webhooks to the app.
			command: 'tsx tests/fixtures/fake-stripe-server.ts',
			port: FAKE_STRIPE_PORT,
			reuseExistingServer: false,
			env: {
				FAKE_STRIPE_PORT: String(FAKE_STRIPE_PORT),
				FAKE_STRIPE_WEBHOOK_URL: `http://localhost:${PORT}/api/stripe/webhook`
			}
		},
		{
			// A fresh in-memory database each run: the journeys start from an empty instance, on the
			// production server (server.js: live streams on the socket, the rest through SvelteKit).
			command: 'npm run build && node server.js',
			port: PORT,
			reuseExistingServer: false,
			timeout: 300_000,
			env: {
				PORT: String(PORT),
				ORIGIN: `http://localhost:${PORT}`,
				// Event files for import can be far larger than adapter-node's 512 KB default.
				BODY_SIZE_LIMIT: '20M',
				PGLITE_DIR: 'memory://',
				DATABASE_URL: '',
				STRIPE_SECRET_KEY: 'sk_test_fake',
				STRIPE_WEBHOOK_SECRET: FAKE_WEBHOOK_SECRET,
				STRIPE_API_URL: `http://127.0.0.1:${FAKE_STRIPE_PORT}`,
				// The identity provider is started by the journey that uses it (oidc.e2e.ts);
				// the app only asks it when someone presses its button.
				OIDC_ISSUER,
				OIDC_CLIENT_ID: OIDC_CLIENT.id,
				OIDC_CLIENT_SECRET: OIDC_CLIENT.secret,
				OIDC_LABEL: OIDC_CLIENT.label
			}
		}
	]
});
