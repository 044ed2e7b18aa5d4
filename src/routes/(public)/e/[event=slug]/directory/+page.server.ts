import { directoryQuery, directorySchema } from '$lib/schemas/directory';
import { parseForm } from '$lib/schemas/form';
import {
	eventDirectory,
	leaveDirectory,
	mayUseDirectory,
	myDirectoryEntry,
	saveDirectoryEntry
} from '$lib/server/people/directory';
import { eventForPublic } from '$lib/server/events/events';
import { failWith, invalidForm, orHttpError, signInUrl } from '$lib/server/core/http';
import type { Actions, PageServerLoad, RequestEvent } from './$types';

export const load: PageServerLoad = async ({ locals, params, url }) => {
	const event = await orHttpError(url, () => eventForPublic(locals.user, params.event));
	const q = directoryQuery(url.searchParams.get('q'));
	// Signed out or without a ticket, the page says why and lists nobody.
	const outside = { event, q, entries: null, mine: null };
	if (!locals.user) return { ...outside, access: 'signed_out' as const, signIn: signInUrl(url) };
	if (!(await mayUseDirectory(locals.user, event.id))) {
		return { ...outside, access: 'no_ticket' as const, signIn: null };
	}
	const [entries, mine] = await Promise.all([
		orHttpError(url, () => eventDirectory(locals.user, event.id, { q })),
		orHttpError(url, () => myDirectoryEntry(locals.user, event.id))
	]);
	return { event, q, entries, mine, access: 'member' as const, signIn: null };
};

const FORM = 'entry';

const eventOf = ({ locals, params, url }: RequestEvent) =>
	orHttpError(url, () => eventForPublic(locals.user, params.event));

export const actions: Actions = {
	save: async (request) => {
		const event = await eventOf(request);
		const parsed = parseForm(directorySchema, await request.request.formData());
		if (!parsed.success) return invalidForm(parsed.errors, parsed.values, FORM);
		try {
			await saveDirectoryEntry(request.locals.user, event.id, parsed.data);
		} catch (e) {
			return failWith(e, parsed.values, { url: request.url, form: FORM });
		}
		return { form: FORM, saved: true, listed: true };
	},
	leave: async (request) => {
		const event = await eventOf(request);
		try {
			await leaveDirectory(request.locals.user, event.id);
		} catch (e) {
			return failWith(e, {}, { url: request.url, form: FORM });
		}
		return { form: FORM, saved: true, listed: false };
	}
};
