import { redirect } from '@sveltejs/kit';
import { newPasswordSchema } from '$lib/schemas/auth';
import { parseForm } from '$lib/schemas/form';
import { peekEmailToken } from '$lib/server/auth/email-link';
import { startSession } from '$lib/server/auth/session';
import { signInOptions } from '$lib/server/auth/sign-in-options';
import { failWith, invalidForm } from '$lib/server/core/http';
import { resetPassword } from '$lib/server/people/users';
import { startingPoints } from '$lib/server/people/event-creators';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ params }) => {
	if (!(await signInOptions()).local) redirect(303, '/signin');
	return { email: await peekEmailToken('password_reset', params.token) };
};

export const actions: Actions = {
	default: async ({ request, params, cookies, url }) => {
		const parsed = parseForm(newPasswordSchema, await request.formData());
		if (!parsed.success) return invalidForm(parsed.errors, parsed.values);
		let landing: string;
		try {
			const user = await resetPassword(params.token, parsed.data.password);
			await startSession(cookies, url, user.id);
			landing = (await startingPoints(user)).landing;
		} catch (e) {
			return failWith(e, parsed.values);
		}
		redirect(303, landing);
	}
};
