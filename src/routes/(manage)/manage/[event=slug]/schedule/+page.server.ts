import { blockEditSchema, blockSchema, dayTitleEditSchema, idSchema } from '$lib/schemas/events';
import { eventForManage } from '$lib/server/events/events';
import { formAction, formFor, orHttpError } from '$lib/server/core/http';
import { listRooms } from '$lib/server/events/rooms';
import {
	addBlock,
	deleteBlock,
	listSchedule,
	setDayTitle,
	updateBlock
} from '$lib/server/events/schedule';
import type { Actions, PageServerLoad, RequestEvent } from './$types';

export const load: PageServerLoad = async ({ locals, params, url }) => {
	const event = await orHttpError(url, () => eventForManage(locals.user, params.event));
	return { days: await listSchedule(event.id), rooms: await listRooms(event.id) };
};

const eventOf = ({ locals, params, url }: RequestEvent) =>
	orHttpError(url, () => eventForManage(locals.user, params.event));

/** Each action names itself in its result so the page shows errors beside the right form. */
export const actions: Actions = {
	add: async (request) => {
		const event = await eventOf(request);
		return formAction(request, blockSchema, 'add', async (block) => {
			await addBlock(request.locals.user, event.id, block);
			return { saved: true };
		});
	},
	update: async (request) => {
		const event = await eventOf(request);
		return formAction(
			request,
			blockEditSchema,
			formFor('block', 'id'),
			async ({ id, ...block }) => {
				await updateBlock(request.locals.user, event.id, id, block);
				return { saved: true };
			}
		);
	},
	delete: async (request) => {
		const event = await eventOf(request);
		return formAction(request, idSchema, 'delete', async ({ id }) => {
			await deleteBlock(request.locals.user, event.id, id);
			return { saved: true };
		});
	},
	day: async (request) => {
		const event = await eventOf(request);
		return formAction(request, dayTitleEditSchema, formFor('day', 'id'), async ({ id, title }) => {
			await setDayTitle(request.locals.user, event.id, id, title);
			return { saved: true };
		});
	}
};
