import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

// The container recipe cannot be built where CI runs (no Docker engine), so what can go stale
// without a build is checked here: the Dockerfile's shape and the names of the settings.

const root = path.resolve(import.meta.dirname, '../../../..');
const read = (file: string) => readFileSync(path.join(root, file), 'utf8');

/** The variable names in the README's configuration table. */
function documented(): Set<string> {
	const section = read('README.md').split('## Configuration')[1].split('\n## ')[0];
	const names = new Set<string>();
	for (const line of section.split('\n').filter((l) => l.startsWith('| `'))) {
		const first = line.split('|')[1];
		for (const [, name] of first.matchAll(/`([A-Z][A-Z0-9_]*)`/g)) names.add(name);
	}
	return names;
}

function serverFiles(dir: string): string[] {
	return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
		const file = path.join(dir, entry.name);
		if (entry.isDirectory()) return serverFiles(file);
		return /\.ts$/.test(entry.name) && !/\.spec\.ts$/.test(entry.name) ? [file] : [];
	});
}

describe('configuration names', () => {
	it('documents every variable compose.yaml sets', () => {
		const compose = parse(read('compose.yaml')) as {
			services: { app: { environment: Record<string, string> } };
		};
		const set = Object.keys(compose.services.app.environment);
		expect(set.length).toBeGreaterThan(5);
		expect(set.filter((name) => !documented().has(name))).toEqual([]);
	});

	it('documents every variable the server reads', () => {
		// Test-only switches: vitest's own, and the fake Stripe's address.
		const internal = new Set(['VITEST', 'STRIPE_API_URL']);
		const read = new Set<string>();
		for (const file of serverFiles(path.join(root, 'src/lib/server'))) {
			for (const [, name] of readFileSync(file, 'utf8').matchAll(/process\.env\.([A-Z0-9_]+)/g)) {
				read.add(name);
			}
		}
		expect(read.size).toBeGreaterThan(10);
		expect([...read].filter((name) => !internal.has(name) && !documented().has(name))).toEqual([]);
	});
});

describe('Dockerfile', () => {
	const lines = read('Dockerfile')
		.replace(/\\\n/g, ' ')
		.split('\n')
		.map((l) => l.trim())
		.filter((l) => l && !l.startsWith('#'));
	const stages = lines.reduce<string[][]>((all, line) => {
		if (/^FROM /i.test(line)) all.push([]);
		all.at(-1)?.push(line);
		return all;
	}, []);
	const final = stages.at(-1)!;

	it('builds in stages and runs as an unprivileged user with a health check', () => {
		expect(stages.length).toBeGreaterThanOrEqual(2);
		const user = final.filter((l) => /^USER /i.test(l)).at(-1);
		expect(user).toBeDefined();
		expect(user!.split(/\s+/)[1]).not.toMatch(/^(root|0)(:|$)/);
		expect(final.some((l) => /^HEALTHCHECK .*\/healthz/i.test(l))).toBe(true);
		expect(final.some((l) => /^CMD /i.test(l))).toBe(true);
	});

	it('copies only files that exist', () => {
		const sources = lines
			.filter((l) => /^COPY /i.test(l) && !/--from=/i.test(l))
			.flatMap((l) => l.split(/\s+/).slice(1, -1))
			.filter((s) => s !== '.');
		expect(sources.length).toBeGreaterThan(2);
		expect(sources.filter((s) => !existsSync(path.join(root, s)))).toEqual([]);
	});
});
