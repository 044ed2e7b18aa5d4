import { noFields } from '$lib/schemas/form';
import { moveSchema, placeSchema, reorderSchema } from '$lib/schemas/talks';
import { eventForManage } from '$lib/server/events/events';
import { formAction, formFor, orHttpError } from '$lib/server/core/http';
import {
	moveTalk,
	placeTalk,
	remindTicketless,
	reorderBlock,
	runningOrder
} from '$lib/server/talks/running-order';
import type { Actions, PageServerLoad, RequestEvent } from './$types';

const manage = ({ locals, params, url }: RequestEvent | Parameters<PageServerLoad>[0]) =>
	orHttpError(url, () => eventForManage(locals.user, params.event, 'talks.manage'));

export const load: PageServerLoad = async (request) => {
	const event = await manage(request);
	const { locals, url } = request;
	return { order: await orHttpError(url, () => runningOrder(locals.user, event.id)) };
};

const byTalk = formFor('talk', 'talkId');

/** Each result names its form (`talk-<id>`, `block-<id>`, `remind`) so errors show beside it. */
export const actions: Actions = {
	place: async (request) => {
		const event = await manage(request);
		return formAction(request, placeSchema, byTalk, async ({ talkId, blockId }) => {
			await placeTalk(request.locals.user, event.id, talkId, blockId);
			return { saved: true };
		});
	},
	move: async (request) => {
		const event = await manage(request);
		return formAction(request, moveSchema, byTalk, async ({ talkId, direction }) => {
			await moveTalk(request.locals.user, event.id, talkId, direction);
			return { saved: true };
		});
	},
	reorder: async (request) => {
		const event = await manage(request);
		return formAction(
			request,
			reorderSchema,
			formFor('block', 'blockId'),
			async ({ blockId, talkIds }) => {
				await reorderBlock(request.locals.user, event.id, blockId, talkIds);
				return { saved: true };
			}
		);
	},
	remind: async (request) => {
		const event = await manage(request);
		return formAction(request, noFields, 'remind', async () => ({
			saved: true,
			count: await remindTicketless(request.locals.user, event.id, request.url.origin)
		}));
	}
};
