import { HARVEST_FIELDS, HARVEST_ITEM_KINDS } from '$lib/constants';
import {
	editItemSchema,
	harvestFieldSchema,
	itemSchema,
	noteTakerSchema,
	removeItemSchema
} from '$lib/schemas/harvest';
import { eventForPublic } from '$lib/server/events/events';
import {
	StaleHarvestEdit,
	assignNoteTaker,
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
import { failStale, formAction, formFor, orHttpError } from '$lib/server/core/http';
import { continueActions, sessionOf } from '../continue.server';
import type { Actions, PageServerLoad, RequestEvent } from './$types';

export const load: PageServerLoad = async ({ locals, params, url }) => {
	const event = await orHttpError(url, () => eventForPublic(locals.user, params.event));
	const view = await orHttpError(url, () =>
		openHarvest(locals.user, event.id, Number(params.session))
	);
	return { event, ...view, me: locals.user?.id ?? null };
};

// Each part of the note is its own form on the page, named before the form is checked.
const fieldForm = (data: FormData) =>
	`field-${HARVEST_FIELDS.find((f) => f === data.get('field')) ?? 'question'}`;
const kindOf = (data: FormData) =>
	HARVEST_ITEM_KINDS.find((k) => k === data.get('kind')) ?? 'insight';
const itemForm = formFor('item', 'itemId');

export const actions: Actions = {
	field: async (request) => {
		const { user, eventId, sessionId } = await sessionOf(request);
		return formAction(request, harvestFieldSchema, fieldForm, async (input, { form, values }) => {
			try {
				const saved = await saveHarvestField(user, eventId, sessionId, input);
				return { saved: true, version: saved.version };
			} catch (e) {
				if (!(e instanceof StaleHarvestEdit)) throw e;
				// Keep what they typed; saving again builds on the text they are now shown.
				return failStale(form, e.fields, values, e.current);
			}
		});
	},
	add: async (request) => {
		const { user, eventId, sessionId } = await sessionOf(request);
		return formAction(
			request,
			itemSchema,
			(data) => `add-${kindOf(data)}`,
			async (input) => {
				await addHarvestItem(user, eventId, sessionId, input);
				return { saved: true };
			}
		);
	},
	edit: async (request) => {
		const { user, eventId, sessionId } = await sessionOf(request);
		return formAction(request, editItemSchema, itemForm, async (input, { form, values }) => {
			try {
				const saved = await editHarvestItem(user, eventId, sessionId, input.itemId, input);
				return { saved: true, version: saved.version };
			} catch (e) {
				if (!(e instanceof StaleHarvestItem)) throw e;
				const { text, owner, dueOn, url, version } = e.current;
				return failStale(form, e.fields, values, { text, owner, dueOn, url, version });
			}
		});
	},
	remove: async (request) => {
		const { user, eventId, sessionId } = await sessionOf(request);
		return formAction(request, removeItemSchema, itemForm, async ({ itemId, kind }) => {
			await removeHarvestItem(user, eventId, sessionId, itemId);
			// The item is gone from the page, so its list says so.
			return { form: `removed-${kind}`, saved: true };
		});
	},
	...continueActions,
	assign: (request) => noteTakers(request, assignNoteTaker),
	unassign: (request) => noteTakers(request, unassignNoteTaker)
};

async function noteTakers(request: RequestEvent, change: typeof assignNoteTaker) {
	const { user, eventId, sessionId } = await sessionOf(request);
	return formAction(request, noteTakerSchema, 'noteTakers', async ({ userId }) => {
		await change(user, eventId, sessionId, userId);
		return { saved: true };
	});
}
