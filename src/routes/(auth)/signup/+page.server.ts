import { redirect } from '@sveltejs/kit';
import { signUpSchema } from '$lib/schemas/auth';
import { parseForm } from '$lib/schemas/form';
import { limitSignUp } from '$lib/server/auth/rate-limit';
import { startSession } from '$lib/server/auth/session';
import { signInOptions } from '$lib/server/auth/sign-in-options';
import { failWith, invalidForm, safeRedirect } from '$lib/server/core/http';
import { signUp } from '$lib/server/people/users';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals, url }) => {
	if (locals.user)
		redirect(303, safeRedirect(url.searchParams.get('redirectTo'), url.origin, '/manage'));
	// Accounts come from the identity provider only.
	if (!(await signInOptions()).local) redirect(303, '/signin');
	return { redirectTo: url.searchParams.get('redirectTo') ?? '' };
};

export const actions: Actions = {
	default: async ({ request, cookies, url, getClientAddress }) => {
		const parsed = parseForm(signUpSchema, await request.formData());
		if (!parsed.success) return invalidForm(parsed.errors, parsed.values);
		try {
			await limitSignUp(getClientAddress());
			const user = await signUp(parsed.data);
			await startSession(cookies, url, user.id);
		} catch (e) {
			return failWith(e, parsed.values);
		}
		redirect(303, safeRedirect(parsed.values.redirectTo, url.origin, '/manage'));
	}
};
