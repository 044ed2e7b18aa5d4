import { redirect } from '@sveltejs/kit';
import { signUpSchema } from '$lib/schemas/auth';
import { parseForm } from '$lib/schemas/form';
import { limitSignUp } from '$lib/server/auth/rate-limit';
import { startSession } from '$lib/server/auth/session';
import { signInOptions } from '$lib/server/auth/sign-in-options';
import { failWith, invalidForm, safeRedirect } from '$lib/server/core/http';
import { signUp } from '$lib/server/people/users';
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
		// A new account runs nothing yet: it lands on its tickets.
		redirect(303, safeRedirect(parsed.values.redirectTo, url.origin, '/tickets'));
	}
};
