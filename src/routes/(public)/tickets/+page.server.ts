import { orHttpError } from '$lib/server/core/http';
import { ticketsOf } from '$lib/server/tickets/tickets';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals, url }) => ({
	tickets: await orHttpError(url, () => ticketsOf(locals.user))
});
