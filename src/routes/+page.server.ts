import { redirect } from '@sveltejs/kit';
import { listPublishedEvents } from '$lib/server/events/events';
import { isSetupNeeded } from '$lib/server/people/users';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async () => {
	if (await isSetupNeeded()) redirect(303, '/setup');
	return { events: await listPublishedEvents() };
};
