import { redirect } from '@sveltejs/kit';
import { m } from '$lib/paraglide/messages';
import { parseForm } from '$lib/schemas/form';
import { orderSchema } from '$lib/schemas/tickets';
import { isDomainError } from '$lib/server/core/errors';
import { eventForPublic } from '$lib/server/events/events';
import { failWith, invalidForm, orHttpError } from '$lib/server/core/http';
import { startOrder, type StartResult } from '$lib/server/tickets/orders';
import { getTicketing, listTicketTypes } from '$lib/server/tickets/ticket-types';
import { describeOffer } from '$lib/server/tickets/waitlist';
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

export const actions: Actions = {
	order: async ({ request, locals, params, url }) => {
		const event = await orHttpError(url, () => eventForPublic(locals.user, params.event));
		const parsed = parseForm(orderSchema, await request.formData());
		if (!parsed.success) return invalidForm(parsed.errors, parsed.values, 'order');
		let result: StartResult;
		try {
			result = await startOrder(locals.user, event.id, parsed.data, url.origin);
		} catch (e) {
			return failWith(e, parsed.values, { url, form: 'order' });
		}
		if (result.kind === 'checkout') {
			// The CSP's form-action 'self' stops a plain form post from being redirected to Stripe;
			// without JavaScript the buyer follows a link instead (use:enhance asks for JSON).
			if (!request.headers.get('accept')?.includes('application/json'))
				return { form: 'order', checkout: result.url };
			redirect(303, result.url);
		}
		if (result.kind === 'sold_out')
			return invalidForm({ _form: m.buy_sold_out() }, parsed.values, 'order');
		if (!locals.user) return { form: 'order', emailed: parsed.data.attendeeEmail };
		redirect(303, `/e/${event.slug}/tickets/${result.ticket.id}`);
	}
};
