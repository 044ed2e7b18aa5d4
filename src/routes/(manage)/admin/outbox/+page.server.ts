import { orHttpError } from '$lib/server/core/http';
import { listOutbox } from '$lib/server/core/mail';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals, url }) => ({
	messages: await orHttpError(url, () => listOutbox(locals.user))
});
