import { eventForPublic } from '$lib/server/events/events';
import { failWith, orHttpError } from '$lib/server/core/http';
import { cancelOwnTicket } from '$lib/server/tickets/cancellations';
import { checkInUrl, ticketForHolder, ticketQrSvg } from '$lib/server/tickets/tickets';
import { getTicketing } from '$lib/server/tickets/ticketing';
import { zonedToInstant } from '$lib/time';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals, params, url }) => {
	const event = await orHttpError(url, () => eventForPublic(locals.user, params.event));
	const { ticket, order, typeName } = await orHttpError(url, () =>
		ticketForHolder(locals.user, event.id, Number(params.id))
	);
	const settings = await getTicketing(event.id);
	const valid = ticket.status === 'valid';
	// The same deadline cancelOwnTicket applies: the organiser's, or the start of the event.
	const cancelUntil =
		settings.cancelUntil ?? zonedToInstant(event.startDate, '00:00', event.timeZone);
	return {
		event,
		ticket: {
			id: ticket.id,
			name: ticket.name,
			email: ticket.email,
			code: ticket.code,
			status: ticket.status,
			checkedInAt: ticket.checkedInAt
		},
		typeName,
		qr: valid ? await ticketQrSvg(checkInUrl(url.origin, event.slug, ticket.code)) : null,
		cancel: {
			open: valid && !ticket.checkedInAt && new Date() < cancelUntil,
			checkedIn: !!ticket.checkedInAt,
			until: cancelUntil,
			refund: settings.refundPolicy === 'full' && order.amountCents > 0,
			paid: order.amountCents > 0,
			amountCents: order.amountCents,
			currency: order.currency
		}
	};
};

export const actions: Actions = {
	cancel: async ({ locals, params, url }) => {
		const event = await orHttpError(url, () => eventForPublic(locals.user, params.event));
		try {
			// cancelOwnTicket takes no event: look the ticket up within this event first.
			const { ticket } = await ticketForHolder(locals.user, event.id, Number(params.id));
			await cancelOwnTicket(locals.user, ticket.id);
		} catch (e) {
			return failWith(e, {}, { url, form: 'cancel' });
		}
		return { form: 'cancel', saved: true };
	}
};
