import * as v from 'valibot';
import { idSchema } from '$lib/schemas/events';
import { text } from '$lib/schemas/fields';
import { parseForm } from '$lib/schemas/form';
import { listOrders, resendTicket } from '$lib/server/tickets/attendees';
import { cancelOrder } from '$lib/server/tickets/cancellations';
import { eventForManage } from '$lib/server/events/events';
import { failWith, invalidForm, orHttpError } from '$lib/server/core/http';
import { closeWaitingList, listWaiting } from '$lib/server/tickets/waitlist';
import type { Actions, PageServerLoad } from './$types';

// The one form here without a shared schema: the message sent when the waiting list closes.
const closeSchema = v.object({ message: text(2000) });

export const load: PageServerLoad = async ({ locals, params, url }) => {
	const event = await orHttpError(url, () =>
		eventForManage(locals.user, params.event, 'orders.view')
	);
	const [orders, waiting] = await orHttpError(url, () =>
		Promise.all([listOrders(locals.user, event.id), listWaiting(locals.user, event.id)])
	);
	return { orders, waiting };
};

export const actions: Actions = {
	cancel: async ({ request, locals, params, url }) => {
		const event = await orHttpError(url, () => eventForManage(locals.user, params.event));
		const id = parseForm(idSchema, await request.formData());
		if (!id.success) return invalidForm(id.errors, id.values, 'orders');
		try {
			await cancelOrder(locals.user, event.id, id.data.id, true);
		} catch (e) {
			return failWith(e, id.values, { url, form: 'orders' });
		}
		return { form: 'orders', done: 'cancelled' };
	},
	resend: async ({ request, locals, params, url }) => {
		const event = await orHttpError(url, () => eventForManage(locals.user, params.event));
		const id = parseForm(idSchema, await request.formData());
		if (!id.success) return invalidForm(id.errors, id.values, 'orders');
		try {
			await resendTicket(locals.user, event.id, id.data.id, url.origin);
		} catch (e) {
			return failWith(e, id.values, { url, form: 'orders' });
		}
		return { form: 'orders', done: 'resent' };
	},
	close: async ({ request, locals, params, url }) => {
		const event = await orHttpError(url, () => eventForManage(locals.user, params.event));
		const parsed = parseForm(closeSchema, await request.formData());
		if (!parsed.success) return invalidForm(parsed.errors, parsed.values, 'close');
		let closed: number;
		try {
			closed = await closeWaitingList(locals.user, event.id, parsed.data.message);
		} catch (e) {
			return failWith(e, parsed.values, { url, form: 'close' });
		}
		return { form: 'close', closed };
	}
};
