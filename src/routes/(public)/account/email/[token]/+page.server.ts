import { redirect } from '@sveltejs/kit';
import { failWith, signInUrl } from '$lib/server/core/http';
import { confirmEmailChange } from '$lib/server/people/account';
import type { Actions, PageServerLoad } from './$types';

// A button rather than a change on GET: mail scanners open links, and this one is single-use.
export const load: PageServerLoad = ({ locals, url }) => {
	if (!locals.user) redirect(303, signInUrl(url));
	return {};
};

export const actions: Actions = {
	default: async ({ locals, params, url }) => {
		let email: string;
		try {
			email = await confirmEmailChange(locals.user, params.token);
		} catch (e) {
			return failWith(e, {}, { url });
		}
		return { done: email };
	}
};
