import { idSchema } from '$lib/schemas/events';
import { closeWaitingListSchema } from '$lib/schemas/tickets';
import { listOrders, resendTicket } from '$lib/server/tickets/attendees';
import { cancelOrder } from '$lib/server/tickets/cancellations';
import { eventForManage } from '$lib/server/events/events';
import { formAction, orHttpError } from '$lib/server/core/http';
import { closeWaitingList, listWaiting } from '$lib/server/tickets/waitlist';
import type { Actions, PageServerLoad, RequestEvent } from './$types';

export const load: PageServerLoad = async ({ locals, params, url }) => {
	const event = await orHttpError(url, () =>
		eventForManage(locals.user, params.event, 'orders.view')
	);
	const [orders, waiting] = await orHttpError(url, () =>
		Promise.all([listOrders(locals.user, event.id), listWaiting(locals.user, event.id)])
	);
	return { orders, waiting };
};

const eventOf = ({ locals, params, url }: RequestEvent) =>
	orHttpError(url, () => eventForManage(locals.user, params.event));

export const actions: Actions = {
	cancel: async (request) => {
		const event = await eventOf(request);
		return formAction(request, idSchema, 'orders', async ({ id }) => {
			await cancelOrder(request.locals.user, event.id, id, true);
			return { done: 'cancelled' as const };
		});
	},
	resend: async (request) => {
		const event = await eventOf(request);
		return formAction(request, idSchema, 'orders', async ({ id }) => {
			await resendTicket(request.locals.user, event.id, id, request.url.origin);
			return { done: 'resent' as const };
		});
	},
	close: async (request) => {
		const event = await eventOf(request);
		return formAction(request, closeWaitingListSchema, 'close', async ({ message }) => ({
			closed: await closeWaitingList(request.locals.user, event.id, message)
		}));
	}
};
