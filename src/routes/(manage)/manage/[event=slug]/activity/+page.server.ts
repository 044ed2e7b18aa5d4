import { listEventActivity } from '$lib/server/activity';
import { eventForManage } from '$lib/server/events';
import { orHttpError } from '$lib/server/http';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals, params, url }) => {
	const event = await orHttpError(url, () =>
		eventForManage(locals.user, params.event, 'activity.view')
	);
	return { entries: await listEventActivity(locals.user, event.id) };
};
