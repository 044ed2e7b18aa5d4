import { eventForPublic } from '$lib/server/events/events';
import { orHttpError } from '$lib/server/core/http';
import { talkForPresenter } from '$lib/server/talks/talks';
import { talkActions, talkFormContext, talkValues } from '../../talk-form.server';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals, params, url }) => {
	const event = await orHttpError(url, () => eventForPublic(locals.user, params.event));
	const { talk, editable } = await orHttpError(url, () =>
		talkForPresenter(locals.user, event.id, Number(params.id))
	);
	return {
		event,
		...(await talkFormContext(event, locals.user!)),
		talk: {
			id: talk.id,
			status: talk.status,
			notifiedStatus: talk.notifiedStatus,
			updatedAt: talk.updatedAt
		},
		values: talkValues(talk),
		editable
	};
};

export const actions: Actions = talkActions;
