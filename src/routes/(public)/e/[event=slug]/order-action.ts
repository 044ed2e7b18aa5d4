import { redirect } from '@sveltejs/kit';
import { m } from '$lib/paraglide/messages';
import { parseForm } from '$lib/schemas/form';
import { orderSchema, waitingSchema } from '$lib/schemas/tickets';
import { eventForPublic } from '$lib/server/events/events';
import { failWith, invalidForm, orHttpError } from '$lib/server/core/http';
import { orderTicket, type StartResult } from '$lib/server/tickets/orders';
import { joinWaitingList } from '$lib/server/tickets/waitlist';

// The order and waiting-list forms' actions, the same on the tickets page, a waiting-list
// claim and a confirmation link that found the event full.

interface ActionEvent {
	request: Request;
	locals: App.Locals;
	params: { event: string };
	url: URL;
	getClientAddress: () => string;
}

/** An unchecked radio group sends nothing; send it empty so the schema says "please choose". */
async function withTicketType(request: Request): Promise<FormData> {
	const data = await request.formData();
	if (!data.has('ticketTypeId')) data.set('ticketTypeId', '');
	return data;
}

export async function orderAction({ request, locals, params, url, getClientAddress }: ActionEvent) {
	const event = await orHttpError(url, () => eventForPublic(locals.user, params.event));
	const parsed = parseForm(orderSchema, await withTicketType(request));
	if (!parsed.success) return invalidForm(parsed.errors, parsed.values, 'order');
	let result: StartResult;
	try {
		result = await orderTicket(locals.user, event.id, parsed.data, {
			origin: url.origin,
			client: getClientAddress()
		});
	} catch (e) {
		return failWith(e, parsed.values, { url, form: 'order' });
	}
	switch (result.kind) {
		case 'checkout':
			return checkoutAnswer(request, result.url, 'order');
		case 'sold_out':
			return soldOut(parsed.values);
		case 'confirm':
			return { form: 'order', confirm: result.email, paid: result.paid };
		case 'ticket':
			// A waiting-list claim without an account: the ticket and a sign-in link were mailed.
			if (!locals.user) return { form: 'order', emailed: result.ticket.email };
			redirect(303, `/e/${event.slug}/tickets/${result.ticket.id}`);
	}
}

/** Sold out: the message, and what was typed, which the waiting-list form starts from. */
export function soldOut(values: Record<string, string>) {
	return { form: 'order', soldOut: true, errors: { _form: m.buy_sold_out() }, values };
}

/**
 * The hand-over to Stripe. The CSP's form-action 'self' stops a plain form post from being
 * redirected there; without JavaScript the buyer follows a link instead (use:enhance asks for JSON).
 */
export function checkoutAnswer(request: Request, checkout: string, form?: string) {
	if (!request.headers.get('accept')?.includes('application/json')) return { form, checkout };
	redirect(303, checkout);
}

export async function waitAction({ request, locals, params, url }: ActionEvent) {
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
