import { noFields } from '$lib/schemas/form';
import { continueSchema } from '$lib/schemas/harvest';
import { formAction, orHttpError } from '$lib/server/core/http';
import { eventForPublic } from '$lib/server/events/events';
import { joinContinuers, leaveContinuers } from '$lib/server/harvest/harvest';

// "Continue the conversation" is on the session's page and on its harvest page, with one answer.

type SessionRequest = {
	request: Request;
	locals: App.Locals;
	params: { event: string; session: string };
	url: URL;
};

/** The guard of every action on a session: the event in the URL, as the person sees it. */
export async function sessionOf({ locals, params, url }: SessionRequest) {
	const event = await orHttpError(url, () => eventForPublic(locals.user, params.event));
	return { user: locals.user, eventId: event.id, sessionId: Number(params.session) };
}

export const continueActions = {
	join: async (request: SessionRequest) => {
		const { user, eventId, sessionId } = await sessionOf(request);
		return formAction(request, continueSchema, 'continue', async ({ contact }) => {
			await joinContinuers(user, eventId, sessionId, contact);
			return { saved: true, joined: true };
		});
	},
	leave: async (request: SessionRequest) => {
		const { user, eventId, sessionId } = await sessionOf(request);
		return formAction(request, noFields, 'continue', async () => {
			await leaveContinuers(user, eventId, sessionId);
			return { saved: true, joined: false };
		});
	}
};
