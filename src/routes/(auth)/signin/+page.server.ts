import { redirect } from '@sveltejs/kit';
import { emailOnlySchema, signInSchema } from '$lib/schemas/auth';
import { parseForm } from '$lib/schemas/form';
import { limitEmailLink, limitPasswordSignIn } from '$lib/server/auth/rate-limit';
import { startSession } from '$lib/server/auth/session';
import { signInOptions } from '$lib/server/auth/sign-in-options';
import { failWith, invalidForm, safeRedirect } from '$lib/server/core/http';
import { startingPoints } from '$lib/server/people/event-creators';
import { authenticate, requestSignInLink } from '$lib/server/people/users';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals, url }) => {
	if (locals.user) {
		const { landing } = await startingPoints(locals.user);
		redirect(303, safeRedirect(url.searchParams.get('redirectTo'), url.origin, landing));
	}
	return { redirectTo: url.searchParams.get('redirectTo') ?? '', options: await signInOptions() };
};

export const actions: Actions = {
	password: async ({ request, cookies, url, getClientAddress }) => {
		const parsed = parseForm(signInSchema, await request.formData());
		if (!parsed.success) return invalidForm(parsed.errors, parsed.values, 'password');
		let landing: string;
		try {
			await limitPasswordSignIn(parsed.data.email, getClientAddress());
			const user = await authenticate(parsed.data.email, parsed.data.password);
			await startSession(cookies, url, user.id);
			landing = (await startingPoints(user)).landing;
		} catch (e) {
			return failWith(e, parsed.values, { url, form: 'password' });
		}
		redirect(303, safeRedirect(parsed.values.redirectTo, url.origin, landing));
	},
	link: async ({ request, url, getClientAddress }) => {
		const parsed = parseForm(emailOnlySchema, await request.formData());
		if (!parsed.success) return invalidForm(parsed.errors, parsed.values, 'link');
		try {
			await limitEmailLink(parsed.data.email, getClientAddress());
			const back = safeRedirect(parsed.values.redirectTo, url.origin, '');
			await requestSignInLink(parsed.data.email, url.origin, back);
		} catch (e) {
			return failWith(e, parsed.values, { url, form: 'link' });
		}
		return { form: 'link', sent: parsed.data.email, values: parsed.values };
	}
};
