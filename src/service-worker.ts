/// <reference types="@sveltejs/kit" />
/// <reference no-default-lib="true"/>
/// <reference lib="esnext" />
/// <reference lib="webworker" />
import { build, files, version } from '$service-worker';
import {
	DATA_SUFFIX,
	PAGES_CACHE,
	SAVED_AT_HEADER,
	cacheKeyOf,
	keepsOffline
} from '$lib/offline/pages';

// The attendee app offline: the app's own code and files are kept per version; the pages a
// person reads at an event (the event, their ticket with its QR, the agenda, their agenda, the
// door) are fetched from the network first and kept, so they open without a connection. Form
// posts and the live stream always go to the network; signing in or out forgets every page.

const sw = self as unknown as ServiceWorkerGlobalScope;
const ASSETS_CACHE = `assets-${version}`;
const ASSETS = new Set([...build, ...files]);

sw.addEventListener('install', (event) => {
	event.waitUntil(
		caches
			.open(ASSETS_CACHE)
			.then((cache) => cache.addAll([...ASSETS]))
			.then(() => sw.skipWaiting())
	);
});

sw.addEventListener('activate', (event) => {
	event.waitUntil(
		caches
			.keys()
			.then((keys) =>
				Promise.all(
					keys
						.filter((k) => k.startsWith('assets-') && k !== ASSETS_CACHE)
						.map((k) => caches.delete(k))
				)
			)
			.then(() => sw.clients.claim())
	);
});

async function fromAssets(request: Request): Promise<Response> {
	const cached = await caches.match(request, { cacheName: ASSETS_CACHE });
	return cached ?? fetch(request);
}

/** Keep a copy of a page that came back whole, with the time it was fetched. */
async function keep(key: string, response: Response): Promise<void> {
	if (response.status !== 200 || response.type !== 'basic') return;
	const headers = new Headers(response.headers);
	headers.set(SAVED_AT_HEADER, new Date().toISOString());
	const body = await response.blob();
	const cache = await caches.open(PAGES_CACHE);
	await cache.put(key, new Response(body, { status: 200, headers }));
}

/** A kept page: from the network when there is one, else as it was last kept. */
async function networkFirst(request: Request, url: URL): Promise<Response> {
	const key = cacheKeyOf(url);
	try {
		const response = await fetch(request);
		await keep(key, response.clone());
		return response;
	} catch (e) {
		const cached = await caches.match(key, { cacheName: PAGES_CACHE });
		if (cached) return cached;
		throw e;
	}
}

/**
 * The app moved to a kept page without reloading (it fetched only the page's data): the page
 * itself is fetched once more and kept, so it opens offline, unless a fresh copy is kept already.
 */
async function keepPageOf(url: URL): Promise<void> {
	const page = new URL(url.pathname.slice(0, -DATA_SUFFIX.length) || '/', url.origin);
	const key = cacheKeyOf(page);
	const kept = await caches.match(key, { cacheName: PAGES_CACHE });
	const at = Date.parse(kept?.headers.get(SAVED_AT_HEADER) ?? '');
	if (at > Date.now() - 30_000) return;
	try {
		await keep(key, await fetch(page, { credentials: 'same-origin' }));
	} catch {
		// Offline again: the copy kept before stays.
	}
}

sw.addEventListener('fetch', (event) => {
	const { request } = event;
	const url = new URL(request.url);
	if (url.origin !== sw.location.origin) return;
	if (request.method === 'POST') {
		// Another person may sign in on this phone: nobody's pages outlive a session.
		if (/^\/(signout|signin|signup)(\/|$)/.test(url.pathname))
			event.waitUntil(caches.delete(PAGES_CACHE));
		return;
	}
	if (request.method !== 'GET') return;
	if (ASSETS.has(url.pathname)) {
		event.respondWith(fromAssets(request));
		return;
	}
	if (request.headers.get('accept')?.includes('text/event-stream')) return;
	if (request.mode === 'navigate' && keepsOffline(url.pathname)) {
		event.respondWith(networkFirst(request, url));
		return;
	}
	const page = url.pathname.slice(0, -DATA_SUFFIX.length);
	if (url.pathname.endsWith(DATA_SUFFIX) && keepsOffline(page)) event.waitUntil(keepPageOf(url));
});

sw.addEventListener('message', (event) => {
	if (event.data === 'forget-pages') event.waitUntil(caches.delete(PAGES_CACHE));
});
