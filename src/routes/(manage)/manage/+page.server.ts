import { listManagedEvents } from '$lib/server/events';
import { orHttpError } from '$lib/server/http';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals, url }) => ({
	events: await orHttpError(url, () => listManagedEvents(locals.user))
});
