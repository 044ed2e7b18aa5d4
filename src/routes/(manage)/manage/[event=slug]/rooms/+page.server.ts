import { idSchema, roomSchema } from '$lib/schemas/events';
import { parseForm } from '$lib/schemas/form';
import { eventForManage } from '$lib/server/events/events';
import { failWith, invalidForm, orHttpError } from '$lib/server/core/http';
import { addRoom, deleteRoom, listRooms, updateRoom } from '$lib/server/events/rooms';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals, params, url }) => {
	const event = await orHttpError(url, () => eventForManage(locals.user, params.event));
	return { rooms: await listRooms(event.id) };
};

export const actions: Actions = {
	add: async ({ request, locals, params, url }) => {
		const event = await orHttpError(url, () => eventForManage(locals.user, params.event));
		const parsed = parseForm(roomSchema, await request.formData());
		if (!parsed.success) return invalidForm(parsed.errors, parsed.values, 'add');
		try {
			await addRoom(locals.user, event.id, parsed.data);
		} catch (e) {
			return failWith(e, parsed.values, { url, form: 'add' });
		}
		return { form: 'add', saved: true };
	},
	update: async ({ request, locals, params, url }) => {
		const event = await orHttpError(url, () => eventForManage(locals.user, params.event));
		const data = await request.formData();
		const form = `room-${data.get('id')}`;
		const id = parseForm(idSchema, data);
		const parsed = parseForm(roomSchema, data);
		if (!id.success) return invalidForm(id.errors, id.values, form);
		if (!parsed.success) return invalidForm(parsed.errors, parsed.values, form);
		try {
			await updateRoom(locals.user, event.id, id.data.id, parsed.data);
		} catch (e) {
			return failWith(e, parsed.values, { url, form });
		}
		return { form, saved: true };
	},
	delete: async ({ request, locals, params, url }) => {
		const event = await orHttpError(url, () => eventForManage(locals.user, params.event));
		const id = parseForm(idSchema, await request.formData());
		if (!id.success) return invalidForm(id.errors, id.values, 'delete');
		try {
			await deleteRoom(locals.user, event.id, id.data.id);
		} catch (e) {
			return failWith(e, id.values, { url, form: 'delete' });
		}
		return { form: 'delete', saved: true };
	}
};
