import { redirect } from '@sveltejs/kit';
import { peekEmailToken } from '$lib/server/auth/email-link';
import { startSession } from '$lib/server/auth/session';
import { orHttpError, safeRedirect } from '$lib/server/core/http';
import { startingPoints } from '$lib/server/people/event-creators';
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
		// The link carries the page that asked for sign-in; only a path on this site is followed.
		const { landing } = await startingPoints(user);
		redirect(303, safeRedirect(url.searchParams.get('redirectTo'), url.origin, landing));
	}
};
