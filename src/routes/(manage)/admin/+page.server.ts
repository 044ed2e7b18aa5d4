import { describeSignIn, setProviderOnly } from '$lib/server/auth/sign-in-options';
import { runsEmbedded } from '$lib/server/core/backup';
import { failWith, orHttpError } from '$lib/server/core/http';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals, url }) => {
	const signIn = await orHttpError(url, () => describeSignIn(locals.user));
	return { signIn, embedded: runsEmbedded() };
};

export const actions: Actions = {
	signIn: async ({ request, locals, url }) => {
		const providerOnly = (await request.formData()).get('providerOnly') === 'on';
		const values = { providerOnly: providerOnly ? 'on' : '' };
		try {
			await setProviderOnly(locals.user, providerOnly);
		} catch (e) {
			return failWith(e, values, { url, form: 'signIn' });
		}
		return { form: 'signIn', saved: true, values };
	}
};
