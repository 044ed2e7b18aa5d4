import { redirect } from '@sveltejs/kit';
import { finishProviderSignIn } from '$lib/server/auth/oidc';
import { startSession } from '$lib/server/auth/session';
import { isDomainError } from '$lib/server/core/errors';
import { safeRedirect } from '$lib/server/core/http';
import { signInWithProvider } from '$lib/server/people/provider-accounts';
import { startingPoints } from '$lib/server/people/event-creators';
import type { PageServerLoad } from './$types';

// The provider sends the browser back here with a code (or an error) and the state.
export const load: PageServerLoad = async ({ cookies, url }) => {
	let target: string;
	try {
		const { account, redirectTo } = await finishProviderSignIn(cookies, url);
		const user = await signInWithProvider(account);
		await startSession(cookies, url, user.id);
		target = safeRedirect(redirectTo, url.origin, (await startingPoints(user)).landing);
	} catch (e) {
		if (!isDomainError(e)) throw e;
		return { problem: e.message };
	}
	redirect(303, target);
};
