import { attendeesCsv } from '$lib/server/tickets/attendees';
import { csvHeaders } from '$lib/server/core/csv';
import { eventForManage } from '$lib/server/events/events';
import { orHttpError } from '$lib/server/core/http';
import type { RequestHandler } from './$types';

export const GET: RequestHandler = async ({ locals, params, url }) => {
	const event = await orHttpError(url, () =>
		eventForManage(locals.user, params.event, 'orders.view')
	);
	const body = await orHttpError(url, () => attendeesCsv(locals.user, event.id));
	return new Response(body, { headers: csvHeaders(`${event.slug}-attendees.csv`) });
};
