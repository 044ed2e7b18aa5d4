import { parseForm } from '$lib/schemas/form';
import { continueSchema } from '$lib/schemas/harvest';
import { continuersOf } from '$lib/server/harvest/continuers';
import { eventForPublic } from '$lib/server/events/events';
import { joinContinuers, leaveContinuers } from '$lib/server/harvest/harvest';
import { failWith, invalidForm, orHttpError, signInUrl } from '$lib/server/core/http';
import { publishedSessionPage } from '$lib/server/agenda/session-page';
import type { Actions, PageServerLoad, RequestEvent } from './$types';

export const load: PageServerLoad = async ({ locals, params, url }) => {
	const event = await orHttpError(url, () => eventForPublic(locals.user, params.event));
	const sessionId = Number(params.session);
	const session = await orHttpError(url, () => publishedSessionPage(event.id, sessionId));
	return {
		event,
		session,
		continuers: await continuersOf(locals.user, event.id, sessionId),
		signIn: locals.user ? null : signInUrl(url)
	};
};

const FORM = 'continue';

/** Add oneself to (or leave) the list: the session is checked against the event by harvest.ts. */
const continuing =
	(change: (r: RequestEvent, eventId: number, data: FormData) => Promise<unknown>) =>
	async (request: RequestEvent) => {
		const { locals, params, url } = request;
		const event = await orHttpError(url, () => eventForPublic(locals.user, params.event));
		const data = await request.request.formData();
		try {
			return await change(request, event.id, data);
		} catch (e) {
			return failWith(e, parseForm(continueSchema, data).values, { url, form: FORM });
		}
	};

export const actions: Actions = {
	join: continuing(async ({ locals, params }, eventId, data) => {
		const parsed = parseForm(continueSchema, data);
		if (!parsed.success) return invalidForm(parsed.errors, parsed.values, FORM);
		await joinContinuers(locals.user, eventId, Number(params.session), parsed.data.contact);
		return { form: FORM, saved: true, joined: true };
	}),
	leave: continuing(async ({ locals, params }, eventId) => {
		await leaveContinuers(locals.user, eventId, Number(params.session));
		return { form: FORM, saved: true, joined: false };
	})
};
