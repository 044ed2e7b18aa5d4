import { redirect } from '@sveltejs/kit';
import { eventForPublic } from '$lib/server/events/events';
import { orHttpError, signInUrl } from '$lib/server/core/http';
import { talkActions, talkFormContext } from '../talk-form.server';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals, params, url }) => {
	const event = await orHttpError(url, () => eventForPublic(locals.user, params.event));
	if (!locals.user) redirect(303, signInUrl(url));
	return { event, ...(await talkFormContext(event, locals.user)) };
};

export const actions: Actions = talkActions;
