import { redirect } from '@sveltejs/kit';
import { failWith, orHttpError, signInUrl } from '$lib/server/core/http';
import { acceptClaim, describeClaim } from '$lib/server/transfer/claims';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ params, url, locals }) => ({
	claim: await orHttpError(url, () => describeClaim(locals.user, params.token))
});

export const actions: Actions = {
	default: async ({ params, locals, url }) => {
		if (!locals.user) redirect(303, signInUrl(url));
		try {
			await acceptClaim(locals.user, params.token);
		} catch (e) {
			return failWith(e, {}, { url });
		}
		// The page loads again and, the link spent by this person, says it is done.
		return { claimed: true };
	}
};
