import { fail, redirect } from '@sveltejs/kit';
import { startSession } from '$lib/server/auth/session';
import { isDomainError } from '$lib/server/core/errors';
import { eventForPublic } from '$lib/server/events/events';
import { failWith, orHttpError } from '$lib/server/core/http';
import { describeOrderRequest, waitByLink } from '$lib/server/tickets/order-requests';
import { confirmOrder } from '$lib/server/tickets/orders';
import { checkoutAnswer } from '../../../order-action';
import type { Actions, PageServerLoad } from './$types';

// The link mailed to someone who ordered without signing in. Opening it only shows the order
// (mail scanners open links too); the button confirms, signs them in and lands on the ticket.

export const load: PageServerLoad = async ({ locals, params, url }) => {
	const event = await orHttpError(url, () => eventForPublic(locals.user, params.event));
	return { event, asked: await describeOrderRequest(event.id, params.token) };
};

/** A dead link says so on the page rather than on an error page. */
function failLink(e: unknown, url: URL, form: string) {
	if (isDomainError(e) && e.kind === 'not_found') {
		return fail(404, { form, errors: { _form: e.message }, values: {} });
	}
	return failWith(e, {}, { url, form });
}

export const actions: Actions = {
	confirm: async ({ request, locals, params, url, cookies }) => {
		const event = await orHttpError(url, () => eventForPublic(locals.user, params.event));
		let confirmed: Awaited<ReturnType<typeof confirmOrder>>;
		try {
			confirmed = await confirmOrder(event.id, params.token, url.origin);
		} catch (e) {
			return failLink(e, url, 'confirm');
		}
		const { result, holderId } = confirmed;
		if (holderId) await startSession(cookies, url, holderId);
		if (result.kind === 'ticket') redirect(303, `/e/${event.slug}/tickets/${result.ticket.id}`);
		if (result.kind === 'checkout') return checkoutAnswer(request, result.url, 'confirm');
		return { form: 'confirm', soldOut: true };
	},
	wait: async ({ locals, params, url }) => {
		const event = await orHttpError(url, () => eventForPublic(locals.user, params.event));
		try {
			return { form: 'wait', joined: await waitByLink(event.id, params.token) };
		} catch (e) {
			return failLink(e, url, 'wait');
		}
	}
};
