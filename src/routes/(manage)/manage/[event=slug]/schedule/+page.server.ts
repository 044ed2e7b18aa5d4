import { blockSchema, dayTitleSchema, idSchema } from '$lib/schemas/events';
import { parseForm } from '$lib/schemas/form';
import { eventForManage } from '$lib/server/events/events';
import { failWith, invalidForm, orHttpError } from '$lib/server/core/http';
import { listRooms } from '$lib/server/events/rooms';
import {
	addBlock,
	deleteBlock,
	listSchedule,
	setDayTitle,
	updateBlock
} from '$lib/server/events/schedule';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals, params, url }) => {
	const event = await orHttpError(url, () => eventForManage(locals.user, params.event));
	return { days: await listSchedule(event.id), rooms: await listRooms(event.id) };
};

/** Each action names itself in its result so the page shows errors beside the right form. */
export const actions: Actions = {
	add: async ({ request, locals, params, url }) => {
		const event = await orHttpError(url, () => eventForManage(locals.user, params.event));
		const parsed = parseForm(blockSchema, await request.formData());
		if (!parsed.success) return invalidForm(parsed.errors, parsed.values, 'add');
		try {
			await addBlock(locals.user, event.id, parsed.data);
		} catch (e) {
			return failWith(e, parsed.values, { url, form: 'add' });
		}
		return { form: 'add', saved: true };
	},
	update: async ({ request, locals, params, url }) => {
		const event = await orHttpError(url, () => eventForManage(locals.user, params.event));
		const data = await request.formData();
		const form = `block-${data.get('id')}`;
		const id = parseForm(idSchema, data);
		const parsed = parseForm(blockSchema, data);
		if (!id.success) return invalidForm(id.errors, id.values, form);
		if (!parsed.success) return invalidForm(parsed.errors, parsed.values, form);
		try {
			await updateBlock(locals.user, event.id, id.data.id, parsed.data);
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
			await deleteBlock(locals.user, event.id, id.data.id);
		} catch (e) {
			return failWith(e, id.values, { url, form: 'delete' });
		}
		return { form: 'delete', saved: true };
	},
	day: async ({ request, locals, params, url }) => {
		const event = await orHttpError(url, () => eventForManage(locals.user, params.event));
		const data = await request.formData();
		const form = `day-${data.get('id')}`;
		const id = parseForm(idSchema, data);
		const parsed = parseForm(dayTitleSchema, data);
		if (!id.success) return invalidForm(id.errors, id.values, form);
		if (!parsed.success) return invalidForm(parsed.errors, parsed.values, form);
		try {
			await setDayTitle(locals.user, event.id, id.data.id, parsed.data.title);
		} catch (e) {
			return failWith(e, parsed.values, { url, form });
		}
		return { form, saved: true };
	}
};
