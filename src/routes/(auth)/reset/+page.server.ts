import { emailOnlySchema } from '$lib/schemas/auth';
import { parseForm } from '$lib/schemas/form';
import { limitEmailLink } from '$lib/server/auth/rate-limit';
import { failWith, invalidForm } from '$lib/server/core/http';
import { requestPasswordReset } from '$lib/server/people/users';
import type { Actions } from './$types';

export const actions: Actions = {
	default: async ({ request, url, getClientAddress }) => {
		const parsed = parseForm(emailOnlySchema, await request.formData());
		if (!parsed.success) return invalidForm(parsed.errors, parsed.values);
		try {
			await limitEmailLink(parsed.data.email, getClientAddress());
			await requestPasswordReset(parsed.data.email, url.origin);
		} catch (e) {
			return failWith(e, parsed.values);
		}
		return { sent: parsed.data.email, values: parsed.values };
	}
};
