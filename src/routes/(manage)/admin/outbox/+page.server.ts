import { orHttpError } from '$lib/server/http';
import { listOutbox } from '$lib/server/mail';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals, url }) => ({
	messages: await orHttpError(url, () => listOutbox(locals.user))
});
