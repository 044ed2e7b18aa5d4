import { eventForPublic } from '$lib/server/events/events';
import { failWith, orHttpError } from '$lib/server/core/http';
import { cancelHeldOrder, orderForBuyer } from '$lib/server/tickets/tickets';
import type { Actions, PageServerLoad } from './$types';

// Stripe sends the buyer back here (?paid=1 or ?cancelled=1). The ticket is issued by the
// webhook, never by this page: while the order is held the page waits for it.
export const load: PageServerLoad = async ({ locals, params, url, depends }) => {
	depends('order:status');
	const event = await orHttpError(url, () => eventForPublic(locals.user, params.event));
	const { order, typeName, ticketId } = await orHttpError(url, () =>
		orderForBuyer(locals.user, event.id, Number(params.id))
	);
	return {
		event,
		order: {
			id: order.id,
			status: order.status,
			attendeeName: order.attendeeName,
			attendeeEmail: order.attendeeEmail,
			amountCents: order.amountCents,
			currency: order.currency,
			holdExpiresAt: order.holdExpiresAt,
			paidAt: order.paidAt
		},
		typeName,
		ticketId,
		cancelled: url.searchParams.has('cancelled')
	};
};

export const actions: Actions = {
	release: async ({ locals, params, url }) => {
		const event = await orHttpError(url, () => eventForPublic(locals.user, params.event));
		try {
			await cancelHeldOrder(locals.user, event.id, Number(params.id));
		} catch (e) {
			return failWith(e, {}, { url, form: 'release' });
		}
		return { form: 'release', saved: true };
	}
};
