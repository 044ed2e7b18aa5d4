import type { IncomingMessage, ServerResponse } from 'node:http';
import { match as isSlug } from '../../../params/slug';
import { SESSION_COOKIE, validateSessionToken } from '../auth/session';
import { ANSWER_HEADERS } from '../core/http';
import { log, requestId, withRequestId } from '../core/log';
import { isStopping, track } from '../core/shutdown';
import { eventForPublic } from '../events/events';
import { followOnSocket, type LiveStreamOptions } from './stream';

// `GET /e/<event>/live` served on the raw `node:http` response, in front of SvelteKit (core/server.ts
// calls it for every request). The stream itself is stream.ts's, the same the SvelteKit route
// serves; here only the request is read without SvelteKit's machinery (no Request, no web stream
// per screen). Whatever is not a plain open stream of a visible event (another path, an error,
// an instance stopping) is passed on to SvelteKit, whose route and hooks answer it as always.

/** The route this serves, as SvelteKit names it (for the request log). */
const ROUTE = '/(public)/e/[event=slug]/live';
const PATH = /^\/e\/([^/?]+)\/live(?:\?|$)/;

/** The cookie's value by name, as SvelteKit's `cookies.get` reads it. */
function cookie(header: string | undefined, name: string): string | undefined {
	if (!header) return undefined;
	for (const part of header.split(';')) {
		const at = part.indexOf('=');
		if (at > 0 && part.slice(0, at).trim() === name) {
			try {
				return decodeURIComponent(part.slice(at + 1).trim());
			} catch {
				return undefined;
			}
		}
	}
	return undefined;
}

/**
 * Serve the request if it is an event's live stream; answers false (having written nothing) when
 * SvelteKit should handle it instead.
 */
export async function serveLive(
	req: IncomingMessage,
	res: ServerResponse,
	options?: LiveStreamOptions
): Promise<boolean> {
	if (req.method !== 'GET' || !req.url || isStopping()) return false;
	const slug = PATH.exec(req.url)?.[1];
	if (!slug || !isSlug(slug)) return false;
	const started = performance.now();
	const event = await track(async () => {
		// The stream writes no cookie, so it leaves a session's daily refresh to the next page.
		const session = await validateSessionToken(cookie(req.headers.cookie, SESSION_COOKIE), {
			refresh: false
		});
		return eventForPublic(session?.user ?? null, slug);
	}).catch(() => undefined);
	// Not found, not allowed, or anything unexpected: the route answers it, with the same rules.
	if (!event || res.destroyed || isStopping()) return !!res.destroyed;
	const reqId = requestId(req.headers['x-request-id'] as string | undefined);
	followOnSocket(
		event.id,
		res,
		req.headers['last-event-id'] as string | undefined,
		{
			...ANSWER_HEADERS,
			'X-Request-Id': reqId
		},
		options
	);
	const ms = Math.round((performance.now() - started) * 10) / 10;
	withRequestId(reqId, () =>
		log.info({ method: 'GET', route: ROUTE, status: res.statusCode, ms }, 'request')
	);
	return true;
}
