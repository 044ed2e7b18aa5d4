import { parseForm } from '$lib/schemas/form';
import { stageSchema } from '$lib/schemas/talks';
import { eventForManage } from '$lib/server/events/events';
import { failWith, invalidForm, orHttpError } from '$lib/server/core/http';
import type { StageView } from '$lib/live/topics';
import { controlStage, stageView } from '$lib/server/talks/stage';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals, params, url }) => {
	const event = await orHttpError(url, () =>
		eventForManage(locals.user, params.event, 'stage.run')
	);
	return { view: await stageView(event.id) };
};

export const actions: Actions = {
	control: async ({ request, locals, params, url }) => {
		const event = await orHttpError(url, () =>
			eventForManage(locals.user, params.event, 'stage.run')
		);
		const parsed = parseForm(stageSchema, await request.formData());
		if (!parsed.success) return invalidForm(parsed.errors, parsed.values, 'control');
		let view: StageView;
		try {
			view = await controlStage(locals.user, event.id, parsed.data.action);
		} catch (e) {
			return failWith(e, parsed.values, { url, form: 'control' });
		}
		return { form: 'control', view };
	}
};
