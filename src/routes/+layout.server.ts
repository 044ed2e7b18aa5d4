import { getLocale } from '$lib/paraglide/runtime';
import { startingPoints } from '$lib/server/people/event-creators';
import type { LayoutServerLoad } from './$types';

export const load: LayoutServerLoad = async ({ locals }) => ({
	user: locals.user && {
		name: locals.user.name,
		email: locals.user.email,
		isAdmin: locals.user.isAdmin,
		// "Manage" is for people on a team or allowed to start events.
		manages: (await startingPoints(locals.user)).manage
	},
	locale: getLocale()
});
