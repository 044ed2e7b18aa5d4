import { parseForm } from '$lib/schemas/form';
import { moveSchema, placeSchema, reorderSchema } from '$lib/schemas/talks';
import { eventForManage } from '$lib/server/events/events';
import { failWith, invalidForm, orHttpError } from '$lib/server/core/http';
import {
	moveTalk,
	placeTalk,
	remindTicketless,
	reorderBlock,
	runningOrder
} from '$lib/server/talks/running-order';
import type { Actions, PageServerLoad } from './$types';

const manage = (locals: App.Locals, slug: string, url: URL) =>
	orHttpError(url, () => eventForManage(locals.user, slug, 'talks.manage'));

export const load: PageServerLoad = async ({ locals, params, url }) => {
	const event = await manage(locals, params.event, url);
	return { order: await orHttpError(url, () => runningOrder(locals.user, event.id)) };
};

/** Each result names its form (`talk-<id>`, `block-<id>`, `remind`) so errors show beside it. */
export const actions: Actions = {
	place: async ({ request, locals, params, url }) => {
		const event = await manage(locals, params.event, url);
		const data = await request.formData();
		const form = `talk-${data.get('talkId')}`;
		const parsed = parseForm(placeSchema, data);
		if (!parsed.success) return invalidForm(parsed.errors, parsed.values, form);
		try {
			await placeTalk(locals.user, event.id, parsed.data.talkId, parsed.data.blockId);
		} catch (e) {
			return failWith(e, parsed.values, { url, form });
		}
		return { form, saved: true };
	},
	move: async ({ request, locals, params, url }) => {
		const event = await manage(locals, params.event, url);
		const data = await request.formData();
		const form = `talk-${data.get('talkId')}`;
		const parsed = parseForm(moveSchema, data);
		if (!parsed.success) return invalidForm(parsed.errors, parsed.values, form);
		try {
			await moveTalk(locals.user, event.id, parsed.data.talkId, parsed.data.direction);
		} catch (e) {
			return failWith(e, parsed.values, { url, form });
		}
		return { form, saved: true };
	},
	reorder: async ({ request, locals, params, url }) => {
		const event = await manage(locals, params.event, url);
		const data = await request.formData();
		const form = `block-${data.get('blockId')}`;
		const parsed = parseForm(reorderSchema, data);
		if (!parsed.success) return invalidForm(parsed.errors, parsed.values, form);
		try {
			await reorderBlock(locals.user, event.id, parsed.data.blockId, parsed.data.talkIds);
		} catch (e) {
			return failWith(e, parsed.values, { url, form });
		}
		return { form, saved: true };
	},
	remind: async ({ locals, params, url }) => {
		const event = await manage(locals, params.event, url);
		try {
			const count = await remindTicketless(locals.user, event.id, url.origin);
			return { form: 'remind', saved: true, count };
		} catch (e) {
			return failWith(e, {}, { url, form: 'remind' });
		}
	}
};
