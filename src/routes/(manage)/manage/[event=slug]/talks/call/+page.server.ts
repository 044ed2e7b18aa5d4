import { callSchema } from '$lib/schemas/talks';
import { eventForManage } from '$lib/server/events/events';
import { formAction, orHttpError } from '$lib/server/core/http';
import { callState, getCall, saveCall } from '$lib/server/talks/talks';
import { callFormValues } from './call-form';
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
	save: async (request) => {
		const event = await manage(request.locals, request.params.event, request.url);
		return formAction(request, callSchema, 'call', async (call) => {
			await saveCall(request.locals.user, event.id, call);
			return { saved: true };
		});
	}
};
