import { AsyncLocalStorage } from 'node:async_hooks';
import type { Handle, HandleServerError, RequestEvent, ServerInit } from '@sveltejs/kit';
import { sequence } from '@sveltejs/kit/hooks';
import {
	extractLocaleFromRequest,
	overwriteServerAsyncLocalStorage,
	type Locale
} from '$lib/paraglide/runtime';
import { paraglideMiddleware } from '$lib/paraglide/server';
import {
	deleteSessionCookie,
	SESSION_COOKIE,
	setSessionCookie,
	validateSessionToken
} from '$lib/server/auth/session';
import { closeDb, openDb } from '$lib/server/db';
import { startSweeper, stopSweeper } from '$lib/server/core/sweeper';
import { beginShutdown, finishShutdown, isStopping, track } from '$lib/server/core/shutdown';
import { live } from '$lib/server/live/hub';
import { closeStreams } from '$lib/server/live/stream';
import { log, requestIdFrom, withRequestId } from '$lib/server/core/log';
import { compressed } from '$lib/server/core/compress';
import { offerServe } from '$lib/server/core/server';
import { ANSWER_HEADERS } from '$lib/server/core/http';

export const init: ServerInit = async () => {
	await openDb();
	// server.js (the production server) serves the live streams itself, through this bundle.
	offerServe();
	// Lapsed seat holds, unanswered waiting-list offers, failed refunds and timed marketplace
	// phases are tidied each minute.
	startSweeper();
	// On SIGTERM/SIGINT the server (core/server.ts, or adapter-node's own) stops taking connections and waits for the open ones (at
	// most SHUTDOWN_TIMEOUT seconds); live streams would hold theirs open, so they end now and
	// their browsers reconnect to another instance. Whatever happens, the process is gone soon
	// after that timeout.
	const timeoutMs = Number(process.env.SHUTDOWN_TIMEOUT || 30) * 1000;
	const stop = () => {
		beginShutdown(closeStreams);
		stopSweeper();
		setTimeout(() => process.exit(1), timeoutMs + 10_000).unref();
	};
	process.once('SIGTERM', stop);
	process.once('SIGINT', stop);
	// The server emits this once its connections are closed; requests still running (their
	// browser gone) finish before the database closes.
	process.once('sveltekit:shutdown', () => {
		void finishShutdown(async () => {
			await live().stop();
			await closeDb();
		}, 5_000).then((finished) => {
			log.info({ finished }, 'stopped');
			process.exit(0);
		});
	});
};

/** While the instance stops, new requests are refused: the browser retries another instance. */
const handleShutdown: Handle = ({ event, resolve }) => {
	if (isStopping())
		return new Response('This server is restarting; try again in a moment.\n', {
			status: 503,
			headers: { 'retry-after': '2', connection: 'close', 'content-type': 'text/plain' }
		});
	return track(() => resolve(event));
};

// Health probes come every few seconds; their lines are kept for LOG_LEVEL=debug.
const PROBES = new Set(['/healthz', '/readyz']);

/** One log line per request, by route id (a raw URL can hold a token), with its id and time. */
const handleRequestLog: Handle = ({ event, resolve }) => {
	const reqId = requestIdFrom(event.request.headers);
	event.locals.requestId = reqId;
	const started = performance.now();
	return withRequestId(reqId, async () => {
		const line = (status: number) => {
			const route = event.route.id;
			const fields = { method: event.request.method, route, status, ms: elapsed(started) };
			if (route && PROBES.has(route)) log.debug(fields, 'request');
			else log.info(fields, 'request');
		};
		let response: Response;
		try {
			response = await resolve(event);
		} catch (e) {
			line(500);
			throw e;
		}
		line(response.status);
		response.headers.set('X-Request-Id', reqId);
		return response;
	});
};

const elapsed = (started: number) => Math.round((performance.now() - started) * 10) / 10;

// The locale of a request, where message functions read it (paraglide's request store).
const localeStore = new AsyncLocalStorage<{
	locale?: Locale;
	origin?: string;
	messageCalls?: Set<string>;
}>();
overwriteServerAsyncLocalStorage(localeStore);

/**
 * Requests that answer no page: a form action sent by an enhanced form (its answer is JSON), the
 * live stream, the API and health probes. Paraglide's middleware copies every request it passes
 * on (the body included); these need only the locale, which the cookie or the browser's language
 * gives, for the messages an answer may carry (a refused dot says why in the person's language).
 */
const answersNoPage = (event: RequestEvent) =>
	event.request.headers.get('x-sveltekit-action') === 'true' ||
	event.request.headers.get('accept') === 'text/event-stream' ||
	event.url.pathname.startsWith('/api/') ||
	PROBES.has(event.url.pathname);

const handleLocale: Handle = ({ event, resolve }) => {
	if (answersNoPage(event)) {
		const locale = extractLocaleFromRequest(event.request);
		const store = { locale, origin: event.url.origin, messageCalls: new Set<string>() };
		return localeStore.run(store, () => resolve(event));
	}
	return paraglideMiddleware(event.request, ({ request, locale }) => {
		event.request = request;
		return resolve(event, {
			transformPageChunk: ({ html }) => html.replace('%paraglide.lang%', locale)
		});
	});
};

const handleAuth: Handle = async ({ event, resolve }) => {
	const token = event.cookies.get(SESSION_COOKIE);
	const result = await validateSessionToken(token);
	if (result) {
		// The cookie's expiry follows the session's, which moves at most once a day.
		if (result.refreshed)
			setSessionCookie(event.cookies, event.url, token!, result.session.expiresAt);
		event.locals.user = result.user;
		event.locals.session = result.session;
	} else {
		if (token) deleteSessionCookie(event.cookies, event.url);
		event.locals.user = null;
		event.locals.session = null;
	}
	return resolve(event);
};

const handleHeaders: Handle = async ({ event, resolve }) => {
	const response = await resolve(event);
	for (const [name, value] of Object.entries(ANSWER_HEADERS)) response.headers.set(name, value);
	return response;
};

/** Pages go out compressed when the browser takes it (never the event stream). */
const handleCompression: Handle = async ({ event, resolve }) =>
	compressed(event.request, await resolve(event));

export const handle = sequence(
	handleShutdown,
	handleRequestLog,
	handleCompression,
	handleHeaders,
	handleLocale,
	handleAuth
);

// The id shown to the user is the request's id, so a report leads to every line of its request.
export const handleError: HandleServerError = ({ error, event, status, message }) => {
	const errorId = event.locals.requestId ?? requestIdFrom(new Headers());
	if (status !== 404) {
		const fields = { err: error, method: event.request.method, route: event.route.id, status };
		withRequestId(errorId, () => log.error(fields, 'unexpected error'));
	}
	return { message, errorId };
};
