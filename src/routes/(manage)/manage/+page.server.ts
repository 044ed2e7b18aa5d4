import { listManagedEvents } from '$lib/server/events/events';
import { orHttpError } from '$lib/server/core/http';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals, url }) => ({
	events: await orHttpError(url, () => listManagedEvents(locals.user))
});
