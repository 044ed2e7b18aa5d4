import { redirect } from '@sveltejs/kit';
import { parseForm } from '$lib/schemas/form';
import { importSchema } from '$lib/schemas/transfer';
import { failWith, invalidForm, orHttpError } from '$lib/server/core/http';
import { importEvent } from '$lib/server/transfer/import';
import { requireEventCreator } from '$lib/server/people/event-creators';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals, url }) => {
	await orHttpError(url, () => requireEventCreator(locals.user));
};

export const actions: Actions = {
	default: async ({ request, locals, url }) => {
		const data = await request.formData();
		const parsed = parseForm(importSchema, data);
		if (!parsed.success) return invalidForm(parsed.errors, parsed.values);
		let slug: string;
		try {
			const event = await importEvent(locals.user, data.get('file'), {
				slug: parsed.data.slug || undefined,
				origin: url.origin
			});
			slug = event.slug;
		} catch (e) {
			return failWith(e, parsed.values, { url });
		}
		redirect(303, `/manage/${slug}`);
	}
};
