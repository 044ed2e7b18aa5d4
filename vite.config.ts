import { paraglideVitePlugin } from '@inlang/paraglide-js';
import { sveltekit } from '@sveltejs/kit/vite';
import { defineConfig } from 'vitest/config';

export default defineConfig({
	plugins: [
		paraglideVitePlugin({
			project: './project.inlang',
			outdir: './src/lib/paraglide',
			strategy: ['cookie', 'preferredLanguage', 'baseLocale']
		}),
		sveltekit()
	],
	server: { port: 3000 },
	test: {
		expect: { requireAssertions: true },
		environment: 'node',
		testTimeout: 60_000,
		hookTimeout: 120_000,
		// Each spec file gets its own database; two workers keep a 2-core machine responsive.
		maxWorkers: 2,
		// The same specs run on embedded PGlite, and on PostgreSQL when TEST_DATABASE_URL is set.
		projects: ['pglite', ...(process.env.TEST_DATABASE_URL ? ['postgres'] : [])].map((name) => ({
			extends: true,
			test: {
				name,
				include: ['src/**/*.spec.ts'],
				globalSetup: ['./tests/fixtures/global-setup.ts']
			}
		}))
	}
});
