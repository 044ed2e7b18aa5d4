import * as v from 'valibot';
import { idSchema } from '$lib/schemas/events';
import { parseForm } from '$lib/schemas/form';
import { checkInSchema } from '$lib/schemas/tickets';
import { checkIn, checkInCounts, searchTickets, undoCheckIn } from '$lib/server/tickets/checkin';
import { eventForManage } from '$lib/server/events/events';
import { failWith, invalidForm, orHttpError } from '$lib/server/core/http';
import type { Actions, PageServerLoad } from './$types';

// The name only labels the "undone" message; the ticket is found by id within this event.
const undoSchema = v.object({ ...idSchema.entries, name: v.optional(v.string(), '') });

// Opening a ticket's QR lands here with ?code=: the code is shown ready to confirm, never
// checked in by the GET itself (link previews and prefetching would let people in).
export const load: PageServerLoad = async ({ locals, params, url, depends }) => {
	depends('checkin:counts');
	const event = await orHttpError(url, () =>
		eventForManage(locals.user, params.event, 'checkin.scan')
	);
	const q = (url.searchParams.get('q') ?? '').trim().slice(0, 100);
	const [counts, found] = await orHttpError(url, () =>
		Promise.all([
			checkInCounts(locals.user, event.id),
			q ? searchTickets(locals.user, event.id, q) : null
		])
	);
	return { counts, found, q, code: (url.searchParams.get('code') ?? '').trim().slice(0, 500) };
};

export const actions: Actions = {
	checkin: async ({ request, locals, params, url }) => {
		const event = await orHttpError(url, () => eventForManage(locals.user, params.event));
		const parsed = parseForm(checkInSchema, await request.formData());
		if (!parsed.success) return invalidForm(parsed.errors, parsed.values, 'checkin');
		try {
			return { form: 'checkin', result: await checkIn(locals.user, event.id, parsed.data.code) };
		} catch (e) {
			return failWith(e, parsed.values, { url, form: 'checkin' });
		}
	},
	undo: async ({ request, locals, params, url }) => {
		const event = await orHttpError(url, () => eventForManage(locals.user, params.event));
		const parsed = parseForm(undoSchema, await request.formData());
		if (!parsed.success) return invalidForm(parsed.errors, parsed.values, 'undo');
		try {
			await undoCheckIn(locals.user, event.id, parsed.data.id);
		} catch (e) {
			return failWith(e, parsed.values, { url, form: 'undo' });
		}
		return { form: 'undo', undone: parsed.data.name };
	}
};
