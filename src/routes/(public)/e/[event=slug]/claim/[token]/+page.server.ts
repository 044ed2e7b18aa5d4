import { isDomainError } from '$lib/server/core/errors';
import { eventForPublic } from '$lib/server/events/events';
import { orHttpError } from '$lib/server/core/http';
import { getTicketing, listTicketTypes } from '$lib/server/tickets/ticketing';
import { describeOffer } from '$lib/server/tickets/waitlist';
import { orderAction } from '../../order-action';
import type { Actions, PageServerLoad } from './$types';

/** The open offer behind the link, or null when it has expired or been used. */
async function openOffer(eventId: number, token: string) {
	try {
		return await describeOffer(eventId, token);
	} catch (e) {
		if (isDomainError(e) && e.kind === 'not_found') return null;
		throw e;
	}
}

export const load: PageServerLoad = async ({ locals, params, url }) => {
	const event = await orHttpError(url, () => eventForPublic(locals.user, params.event));
	const offer = await openOffer(event.id, params.token);
	if (!offer) return { event, offer: null };
	const [types, ticketing] = await Promise.all([listTicketTypes(event.id), getTicketing(event.id)]);
	const type = types.find((t) => t.id === offer.ticketTypeId);
	if (!type) return { event, offer: null };
	return {
		event,
		offer: { name: offer.name, email: offer.email, expiresAt: offer.offerExpiresAt! },
		// The seat is already held for this person, so the type is on sale to them.
		type: { ...type, accessCode: null, state: 'on_sale', left: null },
		token: params.token,
		currency: ticketing.currency
	};
};

export const actions: Actions = { order: orderAction };
