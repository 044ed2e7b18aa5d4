import { redirect } from '@sveltejs/kit';
import { myAgendaIcs } from '$lib/server/agenda/attendance';
import { eventForPublic } from '$lib/server/events/events';
import { orHttpError, signInUrl } from '$lib/server/core/http';
import type { RequestHandler } from './$types';

export const GET: RequestHandler = async ({ locals, params, url }) => {
	const event = await orHttpError(url, () => eventForPublic(locals.user, params.event));
	if (!locals.user) redirect(303, signInUrl(url));
	const body = await myAgendaIcs(locals.user, event.id, url.origin);
	return new Response(body, {
		headers: {
			'Content-Type': 'text/calendar; charset=utf-8',
			'Content-Disposition': `attachment; filename="${event.slug}-my-agenda.ics"`,
			'Cache-Control': 'private, no-store'
		}
	});
};
