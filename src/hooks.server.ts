import type { Handle, HandleServerError, ServerInit } from '@sveltejs/kit';
import { sequence } from '@sveltejs/kit/hooks';
import { randomUUID } from 'node:crypto';
import { paraglideMiddleware } from '$lib/paraglide/server';
import {
	deleteSessionCookie,
	SESSION_COOKIE,
	setSessionCookie,
	validateSessionToken
} from '$lib/server/auth/session';
import { closeDb, openDb } from '$lib/server/db';
import { startSweeper, stopSweeper } from '$lib/server/core/sweeper';

export const init: ServerInit = async () => {
	await openDb();
	// Lapsed seat holds, unanswered waiting-list offers, failed refunds and timed marketplace
	// phases are tidied each minute.
	startSweeper();
	// adapter-node emits this on SIGTERM/SIGINT once requests have drained.
	process.once('sveltekit:shutdown', () => {
		stopSweeper();
		void closeDb();
	});
};

const handleLocale: Handle = ({ event, resolve }) =>
	paraglideMiddleware(event.request, ({ request, locale }) => {
		event.request = request;
		return resolve(event, {
			transformPageChunk: ({ html }) => html.replace('%paraglide.lang%', locale)
		});
	});

const handleAuth: Handle = async ({ event, resolve }) => {
	const token = event.cookies.get(SESSION_COOKIE);
	const result = await validateSessionToken(token);
	if (result) {
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
	response.headers.set('X-Content-Type-Options', 'nosniff');
	response.headers.set('Referrer-Policy', 'same-origin');
	return response;
};

export const handle = sequence(handleHeaders, handleLocale, handleAuth);

export const handleError: HandleServerError = ({ error, event, status, message }) => {
	const errorId = randomUUID();
	if (status !== 404) {
		console.error(`[error ${errorId}] ${event.request.method} ${event.url.pathname}`, error);
	}
	return { message, errorId };
};
