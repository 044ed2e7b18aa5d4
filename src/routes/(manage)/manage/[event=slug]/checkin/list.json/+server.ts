import { json } from '@sveltejs/kit';
import { eventForManage } from '$lib/server/events/events';
import { orHttpError } from '$lib/server/core/http';
import { doorList } from '$lib/server/tickets/door-offline';
import type { RequestHandler } from './$types';

// The ticket list a door phone keeps for admitting offline (hashed codes, names, ticket types).
export const GET: RequestHandler = async ({ locals, params, url }) => {
	const event = await orHttpError(url, () =>
		eventForManage(locals.user, params.event, 'checkin.scan')
	);
	const list = await orHttpError(url, () => doorList(locals.user, event.id));
	return json(list, { headers: { 'Cache-Control': 'private, no-store' } });
};
