import { HARVEST_ITEM_KINDS, type HarvestItemKind } from '$lib/constants';
import { parseForm } from '$lib/schemas/form';
import {
	continueSchema,
	editItemRef,
	fieldRef,
	itemRef,
	itemSchema,
	notesSchema,
	noteTakerSchema,
	participantsSchema,
	questionSchema,
	type HarvestFieldInput
} from '$lib/schemas/harvest';
import { eventForPublic } from '$lib/server/events/events';
import {
	StaleHarvestEdit,
	assignNoteTaker,
	joinContinuers,
	leaveContinuers,
	openHarvest,
	saveHarvestField,
	unassignNoteTaker
} from '$lib/server/harvest/harvest';
import {
	StaleHarvestItem,
	addHarvestItem,
	editHarvestItem,
	removeHarvestItem
} from '$lib/server/harvest/items';
import { failStale, failWith, invalidForm, orHttpError } from '$lib/server/core/http';
import type { Actions, PageServerLoad, RequestEvent } from './$types';

export const load: PageServerLoad = async ({ locals, params, url }) => {
	const event = await orHttpError(url, () => eventForPublic(locals.user, params.event));
	const view = await orHttpError(url, () =>
		openHarvest(locals.user, event.id, Number(params.session))
	);
	return { event, ...view, me: locals.user?.id ?? null };
};

const eventOf = ({ locals, params, url }: RequestEvent) =>
	orHttpError(url, () => eventForPublic(locals.user, params.event));

/** The submitted part as the domain takes it, or the form's errors. */
function parseField(data: FormData) {
	const ref = parseForm(fieldRef, data);
	if (!ref.success) return { ...ref, field: 'question' as const };
	const { field } = ref.data;
	if (field === 'question') {
		const parsed = parseForm(questionSchema, data);
		if (!parsed.success) return { ...parsed, field };
		const input: HarvestFieldInput = {
			field,
			value: parsed.data.question,
			version: parsed.data.version
		};
		return { success: true as const, input, values: parsed.values, field };
	}
	if (field === 'notes') {
		const parsed = parseForm(notesSchema, data);
		if (!parsed.success) return { ...parsed, field };
		const input: HarvestFieldInput = {
			field,
			value: parsed.data.notes,
			version: parsed.data.version
		};
		return { success: true as const, input, values: parsed.values, field };
	}
	const parsed = parseForm(participantsSchema, data);
	if (!parsed.success) return { ...parsed, field };
	const input: HarvestFieldInput = {
		field,
		value: parsed.data.participants,
		version: parsed.data.version
	};
	return { success: true as const, input, values: parsed.values, field };
}

const kindOf = (data: FormData): HarvestItemKind => {
	const kind = data.get('kind');
	return HARVEST_ITEM_KINDS.find((k) => k === kind) ?? 'insight';
};

export const actions: Actions = {
	field: async (request) => {
		const event = await eventOf(request);
		const parsed = parseField(await request.request.formData());
		const form = `field-${parsed.field}`;
		if (!parsed.success) return invalidForm(parsed.errors, parsed.values, form);
		const { locals, params, url } = request;
		try {
			const saved = await saveHarvestField(
				locals.user,
				event.id,
				Number(params.session),
				parsed.input
			);
			return { form, saved: true, version: saved.version };
		} catch (e) {
			if (!(e instanceof StaleHarvestEdit)) return failWith(e, parsed.values, { url, form });
			// Keep what they typed; saving again builds on the text they are now shown.
			return failStale(form, e.fields, parsed.values, e.current);
		}
	},
	add: async (request) => {
		const event = await eventOf(request);
		const data = await request.request.formData();
		const form = `add-${kindOf(data)}`;
		const parsed = parseForm(itemSchema, data);
		if (!parsed.success) return invalidForm(parsed.errors, parsed.values, form);
		const { locals, params, url } = request;
		try {
			await addHarvestItem(locals.user, event.id, Number(params.session), parsed.data);
		} catch (e) {
			return failWith(e, parsed.values, { url, form });
		}
		return { form, saved: true };
	},
	edit: async (request) => {
		const event = await eventOf(request);
		const data = await request.request.formData();
		const ref = parseForm(editItemRef, data);
		if (!ref.success) return invalidForm(ref.errors, ref.values, 'item');
		const form = `item-${ref.data.itemId}`;
		const parsed = parseForm(itemSchema, data);
		if (!parsed.success) return invalidForm(parsed.errors, parsed.values, form);
		const { locals, params, url } = request;
		try {
			const saved = await editHarvestItem(
				locals.user,
				event.id,
				Number(params.session),
				ref.data.itemId,
				{ ...parsed.data, version: ref.data.version }
			);
			return { form, saved: true, version: saved.version };
		} catch (e) {
			if (!(e instanceof StaleHarvestItem)) return failWith(e, parsed.values, { url, form });
			const { text, owner, dueOn, url: link, version } = e.current;
			return failStale(form, e.fields, parsed.values, { text, owner, dueOn, url: link, version });
		}
	},
	remove: async (request) => {
		const event = await eventOf(request);
		const data = await request.request.formData();
		const parsed = parseForm(itemRef, data);
		if (!parsed.success) return invalidForm(parsed.errors, parsed.values, 'item');
		const form = `item-${parsed.data.itemId}`;
		const { locals, params, url } = request;
		try {
			await removeHarvestItem(locals.user, event.id, Number(params.session), parsed.data.itemId);
		} catch (e) {
			return failWith(e, parsed.values, { url, form });
		}
		// The item is gone from the page, so its list says so.
		return { form: `removed-${kindOf(data)}`, saved: true };
	},
	join: async (request) => {
		const event = await eventOf(request);
		const parsed = parseForm(continueSchema, await request.request.formData());
		if (!parsed.success) return invalidForm(parsed.errors, parsed.values, 'continue');
		const { locals, params, url } = request;
		try {
			await joinContinuers(locals.user, event.id, Number(params.session), parsed.data.contact);
		} catch (e) {
			return failWith(e, parsed.values, { url, form: 'continue' });
		}
		return { form: 'continue', saved: true, joined: true };
	},
	leave: async (request) => {
		const event = await eventOf(request);
		const { locals, params, url } = request;
		try {
			await leaveContinuers(locals.user, event.id, Number(params.session));
		} catch (e) {
			return failWith(e, {}, { url, form: 'continue' });
		}
		return { form: 'continue', saved: true, joined: false };
	},
	assign: (request) => noteTakers(request, assignNoteTaker),
	unassign: (request) => noteTakers(request, unassignNoteTaker)
};

async function noteTakers(request: RequestEvent, change: typeof assignNoteTaker) {
	const event = await eventOf(request);
	const parsed = parseForm(noteTakerSchema, await request.request.formData());
	if (!parsed.success) return invalidForm(parsed.errors, parsed.values, 'noteTakers');
	const { locals, params, url } = request;
	try {
		await change(locals.user, event.id, Number(params.session), parsed.data.userId);
	} catch (e) {
		return failWith(e, parsed.values, { url, form: 'noteTakers' });
	}
	return { form: 'noteTakers', saved: true };
}
