import { listManagedEvents } from '$lib/server/events/events';
import { orHttpError } from '$lib/server/core/http';
import { mayCreateEvents } from '$lib/server/people/event-creators';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals, url }) => ({
	events: await orHttpError(url, () => listManagedEvents(locals.user)),
	mayCreate: await mayCreateEvents(locals.user)
});
