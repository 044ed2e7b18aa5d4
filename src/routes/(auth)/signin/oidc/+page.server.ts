import { redirect } from '@sveltejs/kit';
import { beginProviderSignIn } from '$lib/server/auth/oidc';
import { isDomainError } from '$lib/server/core/errors';
import { safeRedirect } from '$lib/server/core/http';
import type { PageServerLoad } from './$types';

// Off to the identity provider; if it cannot be reached, say so here.
export const load: PageServerLoad = async ({ cookies, url }) => {
	let target: URL;
	try {
		// Empty when nothing asked: the callback then lands the person where their role starts.
		const redirectTo = safeRedirect(url.searchParams.get('redirectTo'), url.origin, '');
		target = await beginProviderSignIn(cookies, url, redirectTo);
	} catch (e) {
		if (!isDomainError(e)) throw e;
		return { problem: e.message };
	}
	redirect(303, target);
};
