import { redirect } from '@sveltejs/kit';
import { setupSchema } from '$lib/schemas/auth';
import { parseForm } from '$lib/schemas/form';
import { startSession } from '$lib/server/auth/session';
import { loadDemoEvent } from '$lib/server/events/demo';
import { loadDemoSamples } from '$lib/server/events/demo-samples';
import { failWith, invalidForm } from '$lib/server/core/http';
import { createFirstAdmin, isSetupNeeded } from '$lib/server/people/users';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async () => {
	if (!(await isSetupNeeded())) redirect(303, '/');
	return {};
};

export const actions: Actions = {
	default: async ({ request, cookies, url }) => {
		const parsed = parseForm(setupSchema, await request.formData());
		if (!parsed.success) return invalidForm(parsed.errors, parsed.values);
		let target = '/manage';
		try {
			const admin = await createFirstAdmin(parsed.data);
			await startSession(cookies, url, admin.id);
			if (parsed.data.demo) {
				const event = await loadDemoEvent(admin.id);
				if (parsed.data.samples) {
					await loadDemoSamples({ id: admin.id, isAdmin: true }, event, url.origin);
				}
				target = `/manage/${event.slug}`;
			}
		} catch (e) {
			return failWith(e, parsed.values);
		}
		redirect(303, target);
	}
};
