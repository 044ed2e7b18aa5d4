import { eventForPublic } from '$lib/server/events/events';
import { orHttpError } from '$lib/server/core/http';
import { scheduleXml } from '$lib/server/feeds/frab';
import { publicSchedule } from '$lib/server/feeds/schedule';
import type { RequestHandler } from './$types';

export const GET: RequestHandler = async ({ locals, params, url }) => {
	const event = await orHttpError(url, () => eventForPublic(locals.user, params.event));
	const body = scheduleXml(await publicSchedule(event, url.origin));
	return new Response(body, {
		headers: {
			'Content-Type': 'application/xml; charset=utf-8',
			'Cache-Control': 'public, max-age=300'
		}
	});
};
