import { eventForPublic } from '$lib/server/events/events';
import { failWith, invalidForm, orHttpError } from '$lib/server/core/http';
import { cancelOwnTicket } from '$lib/server/tickets/cancellations';
import { checkInUrl, ticketForHolder, ticketQrSvg } from '$lib/server/tickets/tickets';
import { getTicketing } from '$lib/server/tickets/ticketing';
import { zonedToInstant } from '$lib/time';
import { shownNameSchema } from '$lib/schemas/tickets';
import { parseForm } from '$lib/schemas/form';
import { myShownName, setShownName } from '$lib/server/people/shown-name';
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
	const holder = valid && ticket.holderId === locals.user?.id;
	return {
		event,
		// The name other attendees see, which only the holder chooses.
		shownName: holder ? await myShownName(locals.user, event.id) : null,
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
	shownName: async ({ locals, params, request, url }) => {
		const event = await orHttpError(url, () => eventForPublic(locals.user, params.event));
		const parsed = parseForm(shownNameSchema, await request.formData());
		if (!parsed.success) return invalidForm(parsed.errors, parsed.values, 'shownName');
		try {
			await ticketForHolder(locals.user, event.id, Number(params.id));
			await setShownName(locals.user, event.id, parsed.data.publicName);
		} catch (e) {
			return failWith(e, parsed.values, { url, form: 'shownName' });
		}
		return { form: 'shownName', saved: parsed.data.publicName, values: parsed.values };
	},
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
