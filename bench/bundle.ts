import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { buildApp, round } from './harness';

// `npm run bench -- bundle`: the JavaScript the browser loads on the attendees' pages, gzip size.
// Builds the app (BENCH_SKIP_BUILD=1 reads the last build; BUNDLE_KIT_DIR reads a copy of
// another build's `.svelte-kit`), then follows Vite's client manifest from each page's entry
// points through every static import: SvelteKit's start and app chunks (the runtime, the
// router's tables, the client hooks), the root layout, the page's layouts and the page itself.
// Chunks loaded later on demand (dynamic imports) are not counted. The baseline is the bare
// SvelteKit client runtime every page loads before its own layouts and page: start + app and
// what they import.

const kit = process.env.BUNDLE_KIT_DIR ?? '.svelte-kit';
const client = path.join(kit, 'output/client');
const generated = path.join(kit, 'generated/client-optimized');
const manifestFile = path.join(client, '.vite/manifest.json');

if (!process.env.BUNDLE_KIT_DIR) {
	if (!process.env.BENCH_SKIP_BUILD || !existsSync(manifestFile)) {
		console.log('building…');
		buildApp();
	}
}

type Chunk = { file: string; imports?: string[]; isEntry?: boolean };
const manifest: Record<string, Chunk> = JSON.parse(readFileSync(manifestFile, 'utf8'));

const START = 'node_modules/@sveltejs/kit/src/runtime/client/entry.js';
const APP = '.svelte-kit/generated/client-optimized/app.js';
const node = (n: number) => `.svelte-kit/generated/client-optimized/nodes/${n}.js`;

/** Route id -> [page node, layout nodes] from the router's dictionary (the root layout is 0). */
function dictionary(): Map<string, { page: number; layouts: number[] }> {
	const text = readFileSync(path.join(generated, 'app.js'), 'utf8');
	const routes = new Map<string, { page: number; layouts: number[] }>();
	for (const [, id, entry] of text.matchAll(/^\s*"([^"]+)": (\[.*\]),?$/gm)) {
		// `~` marks a node with a server load; a hole in an array is a node left out.
		const json = entry
			.replace(/~/g, '')
			.replace(/\[,/g, '[null,')
			.replace(/,(?=[,\]])/g, ',null');
		const [page, layouts = []] = JSON.parse(json) as [number, (number | null)[]?];
		routes.set(id, { page, layouts: [0, ...layouts.filter((x): x is number => x !== null)] });
	}
	return routes;
}

/** Every file the given manifest entries load, following static imports. */
function closure(keys: string[]): Set<string> {
	const files = new Set<string>();
	const seen = new Set<string>();
	const visit = (key: string) => {
		if (seen.has(key)) return;
		seen.add(key);
		const chunk = manifest[key];
		if (!chunk) throw new Error(`not in the client manifest: ${key}`);
		files.add(chunk.file);
		for (const next of chunk.imports ?? []) visit(next);
	};
	keys.forEach(visit);
	return files;
}

const gzipped = new Map<string, number>();
function gzipBytes(file: string): number {
	let n = gzipped.get(file);
	if (n === undefined) {
		n = gzipSync(readFileSync(path.join(client, file))).length;
		gzipped.set(file, n);
	}
	return n;
}

function measure(keys: string[]) {
	const files = [...closure(keys)].filter((f) => f.endsWith('.js'));
	const bytes = files.reduce((sum, f) => sum + gzipBytes(f), 0);
	return { files, kb: round(bytes / 1024, 1) };
}

const routes = dictionary();
const pageKeys = (id: string) => {
	const route = routes.get(id);
	if (!route) throw new Error(`no route ${id}`);
	return [START, APP, ...route.layouts.map(node), node(route.page)];
};

const pages = {
	baseline: [START, APP],
	event: pageKeys('/(public)/e/[event=slug]'),
	marketplace: pageKeys('/(public)/e/[event=slug]/marketplace'),
	wall: pageKeys('/(public)/e/[event=slug]/wall')
};

const results = Object.fromEntries(
	Object.entries(pages).map(([name, keys]) => [name, measure(keys)])
) as Record<keyof typeof pages, ReturnType<typeof measure>>;

// What each page loads, file by file, then the totals.
const names = Object.keys(results) as (keyof typeof pages)[];
const allFiles = [...new Set(names.flatMap((n) => results[n].files))].sort(
	(a, b) => gzipBytes(b) - gzipBytes(a)
);
console.log(['gzip KB', ...names, 'file'].join('\t'));
for (const f of allFiles) {
	const marks = names.map((n) => (results[n].files.includes(f) ? 'x' : ''));
	console.log([round(gzipBytes(f) / 1024, 1), ...marks, f].join('\t'));
}
console.log(['total KB', ...names.map((n) => results[n].kb)].join('\t'));
console.log(
	JSON.stringify({
		bench: 'bundle',
		marketplace_kb: results.marketplace.kb,
		wall_kb: results.wall.kb,
		event_kb: results.event.kb,
		baseline_kb: results.baseline.kb
	})
);
