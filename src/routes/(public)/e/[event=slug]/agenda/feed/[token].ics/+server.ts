import { error } from '@sveltejs/kit';
import { findEventBySlug } from '$lib/server/events/events';
import { orHttpError } from '$lib/server/core/http';
import { personalCalendar } from '$lib/server/feeds/calendars';
import type { RequestHandler } from './$types';

/** A person's own agenda at their secret address: no cookie, so calendar apps can subscribe. */
export const GET: RequestHandler = async ({ params, url }) => {
	const event = await findEventBySlug(params.event);
	if (!event) error(404);
	const body = await orHttpError(url, () => personalCalendar(event, params.token, url.origin));
	return new Response(body, {
		headers: {
			'Content-Type': 'text/calendar; charset=utf-8',
			'Content-Disposition': `inline; filename="${event.slug}-my-agenda.ics"`,
			'Cache-Control': 'private, max-age=900',
			'Referrer-Policy': 'no-referrer',
			'X-Robots-Tag': 'noindex'
		}
	});
};
