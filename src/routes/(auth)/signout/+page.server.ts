import { redirect } from '@sveltejs/kit';
import { providerLogoutUrl, providerSettings } from '$lib/server/auth/oidc';
import { deleteSessionCookie, invalidateSession } from '$lib/server/auth/session';
import { hasProviderIdentity } from '$lib/server/people/provider-accounts';
import type { Actions, PageServerLoad } from './$types';

// After signing out here, someone who came through the identity provider is offered its own
// sign-out: on a shared phone at a venue, ending only our session would leave theirs open.
export const load: PageServerLoad = async ({ url, locals }) => {
	const settings = providerSettings();
	if (locals.user || !settings || !url.searchParams.has('provider')) redirect(303, '/');
	return { provider: settings.label, logoutUrl: await providerLogoutUrl(new URL('/', url)) };
};

export const actions: Actions = {
	default: async ({ locals, cookies, url }) => {
		const offerProvider =
			!!locals.user && !!providerSettings() && (await hasProviderIdentity(locals.user.id));
		if (locals.session) await invalidateSession(locals.session.id);
		deleteSessionCookie(cookies, url);
		redirect(303, offerProvider ? '/signout?provider' : '/');
	}
};
