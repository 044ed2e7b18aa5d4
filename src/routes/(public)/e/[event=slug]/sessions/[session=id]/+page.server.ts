import { continuersOf } from '$lib/server/harvest/continuers';
import { harvestLinksShown } from '$lib/server/harvest/harvest';
import { eventForPublic } from '$lib/server/events/events';
import { orHttpError, signInUrl } from '$lib/server/core/http';
import { publishedSessionPage } from '$lib/server/agenda/session-page';
import { continueActions } from './continue.server';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals, params, url }) => {
	const event = await orHttpError(url, () => eventForPublic(locals.user, params.event));
	const sessionId = Number(params.session);
	const session = await orHttpError(url, () => publishedSessionPage(event.id, sessionId));
	return {
		event,
		session,
		continuers: await continuersOf(locals.user, event.id, sessionId),
		harvestLink: await harvestLinksShown(locals.user, event.id),
		signIn: locals.user ? null : signInUrl(url)
	};
};

export const actions: Actions = continueActions;
