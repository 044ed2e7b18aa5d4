import { json } from '@sveltejs/kit';
import { eventForPublic } from '$lib/server/events/events';
import { orHttpError } from '$lib/server/core/http';
import { scheduleJson } from '$lib/server/feeds/frab';
import { publicSchedule } from '$lib/server/feeds/schedule';
import type { RequestHandler } from './$types';

export const GET: RequestHandler = async ({ locals, params, url }) => {
	const event = await orHttpError(url, () => eventForPublic(locals.user, params.event));
	return json(scheduleJson(await publicSchedule(event, url.origin)), {
		headers: { 'Cache-Control': 'public, max-age=300' }
	});
};
