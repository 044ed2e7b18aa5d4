import { redirect } from '@sveltejs/kit';
import { m } from '$lib/paraglide/messages';
import { emailOnlySchema, signInSchema } from '$lib/schemas/auth';
import { parseForm } from '$lib/schemas/form';
import { enforce, LIMITS } from '$lib/server/auth/rate-limit';
import { startSession } from '$lib/server/auth/session';
import { failWith, invalidForm, safeRedirect } from '$lib/server/core/http';
import { authenticate, requestSignInLink } from '$lib/server/people/users';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = ({ locals, url }) => {
	if (locals.user)
		redirect(303, safeRedirect(url.searchParams.get('redirectTo'), url.origin, '/manage'));
	return { redirectTo: url.searchParams.get('redirectTo') ?? '' };
};

export const actions: Actions = {
	password: async ({ request, cookies, url, getClientAddress }) => {
		const parsed = parseForm(signInSchema, await request.formData());
		if (!parsed.success) return invalidForm(parsed.errors, parsed.values, 'password');
		try {
			await enforce(
				[
					[`signin:email:${parsed.data.email}`, LIMITS.signInPerEmail],
					[`signin:ip:${getClientAddress()}`, LIMITS.signInPerIp]
				],
				m.error_rate_limited()
			);
			const user = await authenticate(parsed.data.email, parsed.data.password);
			await startSession(cookies, url, user.id);
		} catch (e) {
			return failWith(e, parsed.values, { url, form: 'password' });
		}
		redirect(303, safeRedirect(parsed.values.redirectTo, url.origin, '/manage'));
	},
	link: async ({ request, url, getClientAddress }) => {
		const parsed = parseForm(emailOnlySchema, await request.formData());
		if (!parsed.success) return invalidForm(parsed.errors, parsed.values, 'link');
		try {
			await enforce(
				[
					[`link:email:${parsed.data.email}`, LIMITS.linkPerEmail],
					[`link:ip:${getClientAddress()}`, LIMITS.linkPerIp]
				],
				m.error_rate_limited()
			);
			await requestSignInLink(parsed.data.email, url.origin);
		} catch (e) {
			return failWith(e, parsed.values, { url, form: 'link' });
		}
		return { form: 'link', sent: parsed.data.email, values: parsed.values };
	}
};
