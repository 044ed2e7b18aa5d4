import { eventForPublic } from '$lib/server/events/events';
import { orHttpError } from '$lib/server/core/http';
import { getTicketing, ticketTypesForSale } from '$lib/server/tickets/ticketing';
import { orderAction, waitAction } from '../order-action';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals, params, url }) => {
	const event = await orHttpError(url, () => eventForPublic(locals.user, params.event));
	const accessCode = (url.searchParams.get('code') ?? '').trim().slice(0, 40);
	const [types, ticketing] = await Promise.all([
		ticketTypesForSale(event.id, accessCode),
		getTicketing(event.id)
	]);
	return {
		event,
		types,
		currency: ticketing.currency,
		accessCode,
		buyer: locals.user && { name: locals.user.name, email: locals.user.email }
	};
};

export const actions: Actions = { order: orderAction, wait: waitAction };
