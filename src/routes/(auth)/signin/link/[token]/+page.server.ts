import { redirect } from '@sveltejs/kit';
import { peekEmailToken } from '$lib/server/auth/email-link';
import { startSession } from '$lib/server/auth/session';
import { orHttpError } from '$lib/server/core/http';
import { signInWithLink } from '$lib/server/people/users';
import type { Actions, PageServerLoad } from './$types';

// The link shows a button rather than signing in on GET: mail scanners open links, and a
// single-use link must not be spent by them.
export const load: PageServerLoad = async ({ params }) => ({
	email: await peekEmailToken('sign_in', params.token)
});

export const actions: Actions = {
	default: async ({ params, cookies, url }) => {
		const user = await orHttpError(url, () => signInWithLink(params.token));
		await startSession(cookies, url, user.id);
		redirect(303, '/manage');
	}
};
