import { redirect } from '@sveltejs/kit';
import { parseForm } from '$lib/schemas/form';
import { orderSchema, waitingSchema } from '$lib/schemas/tickets';
import { eventForPublic } from '$lib/server/events/events';
import { failWith, invalidForm, orHttpError } from '$lib/server/core/http';
import { startOrder, type StartResult } from '$lib/server/tickets/orders';
import { getTicketing, ticketTypesForSale } from '$lib/server/tickets/ticket-types';
import { joinWaitingList } from '$lib/server/tickets/waitlist';
import type { Actions, PageServerLoad } from './$types';

/** An unchecked radio group sends nothing; send it empty so the schema says "please choose". */
async function withTicketType(request: Request): Promise<FormData> {
	const data = await request.formData();
	if (!data.has('ticketTypeId')) data.set('ticketTypeId', '');
	return data;
}

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

export const actions: Actions = {
	order: async ({ request, locals, params, url }) => {
		const event = await orHttpError(url, () => eventForPublic(locals.user, params.event));
		const parsed = parseForm(orderSchema, await withTicketType(request));
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
		if (result.kind === 'sold_out') return { form: 'order', soldOut: true, values: parsed.values };
		// Someone without an account cannot open the ticket page yet: it was e-mailed to them.
		if (!locals.user) return { form: 'order', emailed: parsed.data.attendeeEmail };
		redirect(303, `/e/${event.slug}/tickets/${result.ticket.id}`);
	},
	wait: async ({ request, locals, params, url }) => {
		const event = await orHttpError(url, () => eventForPublic(locals.user, params.event));
		const parsed = parseForm(waitingSchema, await withTicketType(request));
		if (!parsed.success) return invalidForm(parsed.errors, parsed.values, 'wait');
		try {
			await joinWaitingList(locals.user, event.id, parsed.data);
		} catch (e) {
			return failWith(e, parsed.values, { url, form: 'wait' });
		}
		return { form: 'wait', joined: parsed.data.email };
	}
};
