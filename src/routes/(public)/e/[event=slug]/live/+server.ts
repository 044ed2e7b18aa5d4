import { eventForPublic } from '$lib/server/events/events';
import { orHttpError } from '$lib/server/core/http';
import { liveResponse } from '$lib/server/live/stream';
import type { RequestHandler } from './$types';

/** The event's live stream (Server-Sent Events): every message its screens follow. */
export const GET: RequestHandler = async ({ locals, params, request, url }) => {
	const event = await orHttpError(url, () => eventForPublic(locals.user, params.event));
	return liveResponse(event.id, request);
};
