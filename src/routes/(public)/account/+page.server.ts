import { redirect } from '@sveltejs/kit';
import { deleteAccountSchema } from '$lib/schemas/account';
import { parseForm } from '$lib/schemas/form';
import { deleteAccount } from '$lib/server/people/account-deletion';
import { deleteSessionCookie } from '$lib/server/auth/session';
import { failWith, invalidForm, signInUrl } from '$lib/server/core/http';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = ({ locals, url }) => {
	if (!locals.user) redirect(303, signInUrl(url));
	return { profile: { name: locals.user.name, email: locals.user.email } };
};

export const actions: Actions = {
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
