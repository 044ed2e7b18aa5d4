import { describeEventActivity } from '$lib/server/core/activity-log';
import { eventForManage } from '$lib/server/events/events';
import { orHttpError } from '$lib/server/core/http';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals, params, url }) => {
	const event = await orHttpError(url, () =>
		eventForManage(locals.user, params.event, 'activity.view')
	);
	return { entries: await describeEventActivity(locals.user, event) };
};
