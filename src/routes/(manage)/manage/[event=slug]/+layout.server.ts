import { eventPermissionsOf } from '$lib/server/auth/guards';
import { eventForManage } from '$lib/server/events/events';
import { orHttpError } from '$lib/server/core/http';
import type { LayoutServerLoad } from './$types';

export const load: LayoutServerLoad = async ({ locals, params, url }) => {
	const event = await orHttpError(url, () => eventForManage(locals.user, params.event));
	return { event, can: await eventPermissionsOf(locals.user, event.id) };
};
