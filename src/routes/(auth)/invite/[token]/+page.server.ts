import { redirect } from '@sveltejs/kit';
import { failWith, orHttpError, signInUrl } from '$lib/server/core/http';
import { acceptInvite, describeInvite } from '$lib/server/people/team';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ params, url }) => ({
	invite: await orHttpError(url, () => describeInvite(params.token))
});

export const actions: Actions = {
	default: async ({ params, locals, url }) => {
		if (!locals.user) redirect(303, signInUrl(url));
		let slug: string;
		try {
			slug = (await acceptInvite(locals.user, params.token)).eventSlug;
		} catch (e) {
			return failWith(e, {}, { url });
		}
		redirect(303, `/manage/${slug}`);
	}
};
