import { talksCalendar } from '$lib/server/core/calendar';
import { eventForPublic } from '$lib/server/events/events';
import { orHttpError } from '$lib/server/core/http';
import { publicProgramme } from '$lib/server/talks/running-order';
import type { RequestHandler } from './$types';

export const GET: RequestHandler = async ({ locals, params, url }) => {
	const event = await orHttpError(url, () => eventForPublic(locals.user, params.event));
	const talks = (await publicProgramme(event.id)).flatMap((x) => x.talks);
	return new Response(talksCalendar(event, talks, url.origin), {
		headers: {
			'Content-Type': 'text/calendar; charset=utf-8',
			'Content-Disposition': `attachment; filename="${event.slug}-talks.ics"`
		}
	});
};
