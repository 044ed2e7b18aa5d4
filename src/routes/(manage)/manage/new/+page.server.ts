import { redirect } from '@sveltejs/kit';
import { eventSchema } from '$lib/schemas/events';
import { parseForm } from '$lib/schemas/form';
import { createEvent } from '$lib/server/events/events';
import { failWith, invalidForm, orHttpError } from '$lib/server/core/http';
import { timeZones } from '$lib/time';
import { requireEventCreator } from '$lib/server/people/event-creators';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals, url }) => {
	await orHttpError(url, () => requireEventCreator(locals.user));
	return {
		timeZones: timeZones(),
		defaultTimeZone: Intl.DateTimeFormat().resolvedOptions().timeZone
	};
};

export const actions: Actions = {
	default: async ({ request, locals, url }) => {
		const parsed = parseForm(eventSchema, await request.formData());
		if (!parsed.success) return invalidForm(parsed.errors, parsed.values);
		let slug: string;
		try {
			slug = (await createEvent(locals.user, parsed.data)).slug;
		} catch (e) {
			return failWith(e, parsed.values, { url });
		}
		redirect(303, `/manage/${slug}/schedule`);
	}
};
