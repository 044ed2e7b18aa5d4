import { idSchema } from '$lib/schemas/events';
import { parseForm } from '$lib/schemas/form';
import { ticketingSchema, ticketTypeSchema } from '$lib/schemas/tickets';
import { eventForManage } from '$lib/server/events/events';
import { failWith, invalidForm, orHttpError } from '$lib/server/core/http';
import { stripeEnabled } from '$lib/server/tickets/payments/stripe';
import {
	addTicketType,
	deleteTicketType,
	getTicketing,
	listTicketTypes,
	seatFigures,
	updateTicketing,
	updateTicketType
} from '$lib/server/tickets/ticketing';
import type { Actions, PageServerLoad } from './$types';

const manage = (locals: App.Locals, slug: string, url: URL) =>
	orHttpError(url, () => eventForManage(locals.user, slug, 'tickets.manage'));

export const load: PageServerLoad = async ({ locals, params, url }) => {
	const event = await manage(locals, params.event, url);
	const [ticketing, types, figures] = await Promise.all([
		getTicketing(event.id),
		listTicketTypes(event.id),
		seatFigures(event.id)
	]);
	return { ticketing, types, figures, paymentsEnabled: stripeEnabled() };
};

export const actions: Actions = {
	settings: async ({ request, locals, params, url }) => {
		const event = await manage(locals, params.event, url);
		const parsed = parseForm(ticketingSchema, await request.formData());
		if (!parsed.success) return invalidForm(parsed.errors, parsed.values, 'settings');
		try {
			await updateTicketing(locals.user, event.id, parsed.data);
		} catch (e) {
			return failWith(e, parsed.values, { url, form: 'settings' });
		}
		return { form: 'settings', saved: true };
	},
	add: async ({ request, locals, params, url }) => {
		const event = await manage(locals, params.event, url);
		const parsed = parseForm(ticketTypeSchema, await request.formData());
		if (!parsed.success) return invalidForm(parsed.errors, parsed.values, 'add');
		try {
			await addTicketType(locals.user, event.id, parsed.data);
		} catch (e) {
			return failWith(e, parsed.values, { url, form: 'add' });
		}
		return { form: 'add', saved: true };
	},
	update: async ({ request, locals, params, url }) => {
		const event = await manage(locals, params.event, url);
		const data = await request.formData();
		const form = `type-${data.get('id')}`;
		const id = parseForm(idSchema, data);
		const parsed = parseForm(ticketTypeSchema, data);
		if (!id.success) return invalidForm(id.errors, id.values, form);
		if (!parsed.success) return invalidForm(parsed.errors, parsed.values, form);
		try {
			await updateTicketType(locals.user, event.id, id.data.id, parsed.data);
		} catch (e) {
			return failWith(e, parsed.values, { url, form });
		}
		return { form, saved: true };
	},
	delete: async ({ request, locals, params, url }) => {
		const event = await manage(locals, params.event, url);
		const id = parseForm(idSchema, await request.formData());
		if (!id.success) return invalidForm(id.errors, id.values, 'delete');
		try {
			await deleteTicketType(locals.user, event.id, id.data.id);
		} catch (e) {
			return failWith(e, id.values, { url, form: 'delete' });
		}
		return { form: 'delete', saved: true };
	}
};
