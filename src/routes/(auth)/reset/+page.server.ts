import { emailOnlySchema } from '$lib/schemas/auth';
import { parseForm } from '$lib/schemas/form';
import { redirect } from '@sveltejs/kit';
import { limitEmailLink } from '$lib/server/auth/rate-limit';
import { signInOptions } from '$lib/server/auth/sign-in-options';
import { failWith, invalidForm } from '$lib/server/core/http';
import { requestPasswordReset } from '$lib/server/people/users';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async () => {
	if (!(await signInOptions()).local) redirect(303, '/signin');
};

export const actions: Actions = {
	default: async ({ request, url, getClientAddress }) => {
		const parsed = parseForm(emailOnlySchema, await request.formData());
		if (!parsed.success) return invalidForm(parsed.errors, parsed.values);
		try {
			await limitEmailLink(parsed.data.email, getClientAddress());
			await requestPasswordReset(parsed.data.email, url.origin);
		} catch (e) {
			return failWith(e, parsed.values);
		}
		return { sent: parsed.data.email, values: parsed.values };
	}
};
