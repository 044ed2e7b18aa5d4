import { m } from '$lib/paraglide/messages';
import { emailOnlySchema } from '$lib/schemas/auth';
import { parseForm } from '$lib/schemas/form';
import { enforce, LIMITS } from '$lib/server/auth/rate-limit';
import { failWith, invalidForm } from '$lib/server/core/http';
import { requestPasswordReset } from '$lib/server/people/users';
import type { Actions } from './$types';

export const actions: Actions = {
	default: async ({ request, url, getClientAddress }) => {
		const parsed = parseForm(emailOnlySchema, await request.formData());
		if (!parsed.success) return invalidForm(parsed.errors, parsed.values);
		try {
			await enforce(
				[
					[`link:email:${parsed.data.email}`, LIMITS.linkPerEmail],
					[`link:ip:${getClientAddress()}`, LIMITS.linkPerIp]
				],
				m.error_rate_limited()
			);
			await requestPasswordReset(parsed.data.email, url.origin);
		} catch (e) {
			return failWith(e, parsed.values);
		}
		return { sent: parsed.data.email, values: parsed.values };
	}
};
