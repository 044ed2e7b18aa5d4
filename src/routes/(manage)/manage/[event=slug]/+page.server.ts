import { eventSchema, statusSchema } from '$lib/schemas/events';
import { parseForm } from '$lib/schemas/form';
import { eventDashboard } from '$lib/server/events/dashboard';
import { eventForManage, setEventStatus, updateEvent } from '$lib/server/events/events';
import { failWith, invalidForm, orHttpError } from '$lib/server/core/http';
import { timeZones } from '$lib/time';
import { redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals, params, url, depends }) => {
	depends('app:dashboard');
	const event = await orHttpError(url, () => eventForManage(locals.user, params.event));
	const dashboard = await orHttpError(url, () => eventDashboard(locals.user, event.id));
	return { timeZones: timeZones(), dashboard };
};

export const actions: Actions = {
	details: async ({ request, locals, params, url }) => {
		const event = await orHttpError(url, () => eventForManage(locals.user, params.event));
		const parsed = parseForm(eventSchema, await request.formData());
		if (!parsed.success) return invalidForm(parsed.errors, parsed.values, 'details');
		let slug: string;
		try {
			slug = (await updateEvent(locals.user, event.id, parsed.data)).slug;
		} catch (e) {
			return failWith(e, parsed.values, { url, form: 'details' });
		}
		if (slug !== params.event) redirect(303, `/manage/${slug}`);
		return { form: 'details', saved: true };
	},
	status: async ({ request, locals, params, url }) => {
		const event = await orHttpError(url, () => eventForManage(locals.user, params.event));
		const parsed = parseForm(statusSchema, await request.formData());
		if (!parsed.success) return invalidForm(parsed.errors, parsed.values, 'status');
		try {
			await setEventStatus(locals.user, event.id, parsed.data.status);
		} catch (e) {
			return failWith(e, parsed.values, { url, form: 'status' });
		}
		return { form: 'status', saved: true };
	}
};
