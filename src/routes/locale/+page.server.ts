import { redirect } from '@sveltejs/kit';
import { cookieName, isLocale } from '$lib/paraglide/runtime';
import { safeRedirect } from '$lib/server/core/http';
import { setUserLocale } from '$lib/server/people/users';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = () => redirect(303, '/');

export const actions: Actions = {
	default: async ({ request, cookies, locals, url }) => {
		const data = await request.formData();
		const locale = String(data.get('locale') ?? '');
		if (isLocale(locale)) {
			cookies.set(cookieName, locale, {
				path: '/',
				httpOnly: false,
				sameSite: 'lax',
				maxAge: 60 * 60 * 24 * 400
			});
			if (locals.user) await setUserLocale(locals.user.id, locale);
		}
		redirect(303, safeRedirect(String(data.get('redirectTo') ?? '/'), url.origin));
	}
};
