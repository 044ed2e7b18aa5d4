import { parseForm } from '$lib/schemas/form';
import { callSchema } from '$lib/schemas/talks';
import { eventForManage } from '$lib/server/events/events';
import { failWith, invalidForm, orHttpError } from '$lib/server/core/http';
import { callFormValues, callState, getCall, saveCall } from '$lib/server/talks/talks';
import type { Actions, PageServerLoad } from './$types';

const manage = (locals: App.Locals, slug: string, url: URL) =>
	orHttpError(url, () => eventForManage(locals.user, slug, 'talks.manage'));

export const load: PageServerLoad = async ({ locals, params, url }) => {
	const event = await manage(locals, params.event, url);
	const call = await getCall(event.id);
	return {
		call: call && { opensAt: call.opensAt, closesAt: call.closesAt },
		state: callState(call),
		values: callFormValues(call, event)
	};
};

export const actions: Actions = {
	save: async ({ request, locals, params, url }) => {
		const event = await manage(locals, params.event, url);
		const parsed = parseForm(callSchema, await request.formData());
		if (!parsed.success) return invalidForm(parsed.errors, parsed.values, 'call');
		try {
			await saveCall(locals.user, event.id, parsed.data);
		} catch (e) {
			return failWith(e, parsed.values, { url, form: 'call' });
		}
		return { form: 'call', saved: true };
	}
};
