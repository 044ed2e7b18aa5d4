import { redirect } from '@sveltejs/kit';
import { signUpSchema } from '$lib/schemas/auth';
import { parseForm } from '$lib/schemas/form';
import { limitSignUp } from '$lib/server/auth/rate-limit';
import { signInOptions } from '$lib/server/auth/sign-in-options';
import { failWith, invalidForm, safeRedirect } from '$lib/server/core/http';
import { requestSignUp } from '$lib/server/people/users';
import { startingPoints } from '$lib/server/people/event-creators';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals, url }) => {
	if (locals.user) {
		const { landing } = await startingPoints(locals.user);
		redirect(303, safeRedirect(url.searchParams.get('redirectTo'), url.origin, landing));
	}
	// Accounts come from the identity provider only.
	if (!(await signInOptions()).local) redirect(303, '/signin');
	return { redirectTo: url.searchParams.get('redirectTo') ?? '' };
};

export const actions: Actions = {
	default: async ({ request, url, getClientAddress }) => {
		const parsed = parseForm(signUpSchema, await request.formData());
		if (!parsed.success) return invalidForm(parsed.errors, parsed.values);
		try {
			await limitSignUp(getClientAddress());
			await requestSignUp(parsed.data, url.origin);
		} catch (e) {
			return failWith(e, parsed.values);
		}
		// The same answer whether or not the address has an account.
		return { sent: parsed.data.email, values: parsed.values };
	}
};
