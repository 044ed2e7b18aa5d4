import { listEventActivity } from '$lib/server/core/activity';
import { eventForManage } from '$lib/server/events/events';
import { orHttpError } from '$lib/server/core/http';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals, params, url }) => {
	const event = await orHttpError(url, () =>
		eventForManage(locals.user, params.event, 'activity.view')
	);
	return { entries: await listEventActivity(locals.user, event.id) };
};
