import { idSchema, roomEditSchema, roomSchema } from '$lib/schemas/events';
import { eventForManage } from '$lib/server/events/events';
import { formAction, formFor, orHttpError } from '$lib/server/core/http';
import { addRoom, deleteRoom, listRooms, updateRoom } from '$lib/server/events/rooms';
import type { Actions, PageServerLoad, RequestEvent } from './$types';

export const load: PageServerLoad = async ({ locals, params, url }) => {
	const event = await orHttpError(url, () => eventForManage(locals.user, params.event));
	return { rooms: await listRooms(event.id) };
};

const eventOf = ({ locals, params, url }: RequestEvent) =>
	orHttpError(url, () => eventForManage(locals.user, params.event));

export const actions: Actions = {
	add: async (request) => {
		const event = await eventOf(request);
		return formAction(request, roomSchema, 'add', async (room) => {
			await addRoom(request.locals.user, event.id, room);
			return { saved: true };
		});
	},
	update: async (request) => {
		const event = await eventOf(request);
		return formAction(request, roomEditSchema, formFor('room', 'id'), async ({ id, ...room }) => {
			await updateRoom(request.locals.user, event.id, id, room);
			return { saved: true };
		});
	},
	delete: async (request) => {
		const event = await eventOf(request);
		return formAction(request, idSchema, 'delete', async ({ id }) => {
			await deleteRoom(request.locals.user, event.id, id);
			return { saved: true };
		});
	}
};
