import { redirect } from '@sveltejs/kit';
import { invitePresenterSchema, presenterRef, talkRef } from '$lib/schemas/talks';
import { eventForPublic } from '$lib/server/events/events';
import { formAction, formFor, orHttpError, signInUrl } from '$lib/server/core/http';
import { invitePresenter, myTalksOverview, removePresenter } from '$lib/server/talks/presenters';
import { withdrawTalk } from '$lib/server/talks/talks';
import type { Actions, PageServerLoad, RequestEvent } from './$types';

export const load: PageServerLoad = async ({ locals, params, url }) => {
	const event = await orHttpError(url, () => eventForPublic(locals.user, params.event));
	if (!locals.user) redirect(303, signInUrl(url));
	return {
		event,
		talks: await myTalksOverview(locals.user, event.id),
		sent: Number(url.searchParams.get('sent')) || null,
		confirmed: Number(url.searchParams.get('confirmed')) || null
	};
};

const eventOf = ({ locals, params, url }: RequestEvent) =>
	orHttpError(url, () => eventForPublic(locals.user, params.event));

// The invite form and its presenters' "remove" buttons answer in the same place.
const inviteForm = formFor('invite', 'talkId');

export const actions: Actions = {
	withdraw: async (request) => {
		const event = await eventOf(request);
		return formAction(request, talkRef, formFor('withdraw', 'talkId'), async ({ talkId }) => {
			await withdrawTalk(request.locals.user, event.id, talkId);
			return { saved: true };
		});
	},
	invite: async (request) => {
		const event = await eventOf(request);
		return formAction(request, invitePresenterSchema, inviteForm, async ({ talkId, email }) => {
			await invitePresenter(request.locals.user, event.id, talkId, email, request.url.origin);
			return { sent: email };
		});
	},
	remove: async (request) => {
		const event = await eventOf(request);
		return formAction(request, presenterRef, inviteForm, async ({ talkId, presenterId }) => {
			await removePresenter(request.locals.user, event.id, talkId, presenterId);
			return { saved: true };
		});
	}
};
