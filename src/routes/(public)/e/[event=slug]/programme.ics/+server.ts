import { eventForPublic } from '$lib/server/events/events';
import { orHttpError } from '$lib/server/core/http';
import { programmeCalendar } from '$lib/server/feeds/calendars';
import type { RequestHandler } from './$types';

/** The programme and agenda to subscribe to (linked as webcal://). */
export const GET: RequestHandler = async ({ locals, params, url }) => {
	const event = await orHttpError(url, () => eventForPublic(locals.user, params.event));
	return new Response(await programmeCalendar(event, url.origin), {
		headers: {
			'Content-Type': 'text/calendar; charset=utf-8',
			'Content-Disposition': `inline; filename="${event.slug}-programme.ics"`,
			'Cache-Control': 'public, max-age=900'
		}
	});
};
