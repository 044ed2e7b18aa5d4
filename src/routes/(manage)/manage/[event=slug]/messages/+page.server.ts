import { fail } from '@sveltejs/kit';
import { parseForm } from '$lib/schemas/form';
import { mailingSchema } from '$lib/schemas/mailings';
import { eventForManage } from '$lib/server/events/events';
import { failWith, orHttpError } from '$lib/server/core/http';
import { listMailings, previewMailing, sendMailing } from '$lib/server/people/mailings';
import { listTicketTypes } from '$lib/server/tickets/ticketing';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals, params, url }) => {
	const event = await orHttpError(url, () =>
		eventForManage(locals.user, params.event, 'people.message')
	);
	const [types, sent] = await Promise.all([
		listTicketTypes(event.id),
		listMailings(locals.user, event.id)
	]);
	return { types: types.map((t) => ({ id: t.id, name: t.name })), sent };
};

/** Both buttons send the same form; "preview" renders it, "send" sends it. */
async function mailing(
	{ locals, params, request, url }: Parameters<Actions[string]>[0],
	send: boolean
) {
	const event = await orHttpError(url, () =>
		eventForManage(locals.user, params.event, 'people.message')
	);
	const parsed = parseForm(mailingSchema, await request.formData());
	if (!parsed.success) {
		return fail(400, { form: 'mailing', errors: parsed.errors, values: parsed.values });
	}
	try {
		if (!send) {
			const preview = await previewMailing(locals.user, event.id, parsed.data);
			return { form: 'mailing', values: parsed.values, preview };
		}
		const count = await sendMailing(locals.user, event.id, parsed.data);
		return { form: 'mailing', sentCount: count };
	} catch (e) {
		return failWith(e, parsed.values, { url, form: 'mailing' });
	}
}

export const actions: Actions = {
	preview: (event) => mailing(event, false),
	send: (event) => mailing(event, true)
};
