import { redirect } from '@sveltejs/kit';
import { deleteAccountSchema, emailChangeSchema, profileSchema } from '$lib/schemas/account';
import { requestEmailChange, updateProfile } from '$lib/server/people/account';
import { cookieName, getLocale } from '$lib/paraglide/runtime';
import { parseForm } from '$lib/schemas/form';
import { deleteAccount } from '$lib/server/people/account-deletion';
import { deleteSessionCookie } from '$lib/server/auth/session';
import { failWith, invalidForm, signInUrl } from '$lib/server/core/http';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = ({ locals, url }) => {
	if (!locals.user) redirect(303, signInUrl(url));
	return {
		profile: {
			name: locals.user.name,
			email: locals.user.email,
			locale: locals.user.locale ?? getLocale()
		}
	};
};

export const actions: Actions = {
	profile: async ({ locals, request, cookies, url }) => {
		const parsed = parseForm(profileSchema, await request.formData());
		if (!parsed.success) return invalidForm(parsed.errors, parsed.values, 'profile');
		try {
			await updateProfile(locals.user, parsed.data);
		} catch (e) {
			return failWith(e, parsed.values, { url, form: 'profile' });
		}
		// The pages follow the chosen language at once, as the header's language menu does.
		cookies.set(cookieName, parsed.data.locale, {
			path: '/',
			httpOnly: false,
			sameSite: 'lax',
			maxAge: 60 * 60 * 24 * 400
		});
		redirect(303, '/account?saved=profile');
	},
	email: async ({ locals, request, url }) => {
		const parsed = parseForm(emailChangeSchema, await request.formData());
		if (!parsed.success) return invalidForm(parsed.errors, parsed.values, 'email');
		try {
			const sent = await requestEmailChange(locals.user, parsed.data.email, url.origin);
			return { form: 'email', sent, values: { email: '' } };
		} catch (e) {
			return failWith(e, parsed.values, { url, form: 'email' });
		}
	},
	delete: async ({ locals, request, cookies, url }) => {
		const parsed = parseForm(deleteAccountSchema, await request.formData());
		if (!parsed.success) return invalidForm(parsed.errors, parsed.values, 'delete');
		try {
			await deleteAccount(locals.user, {
				confirm: parsed.data.confirm,
				keepContributions: !parsed.data.removeHarvest
			});
		} catch (e) {
			return failWith(e, parsed.values, { url, form: 'delete' });
		}
		// The sessions went with the account; the cookie goes too.
		deleteSessionCookie(cookies, url);
		redirect(303, '/account/deleted');
	}
};
