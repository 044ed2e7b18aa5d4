import { and, eq, isNull } from 'drizzle-orm';
import { isWebUrl, type HarvestItemInput } from '$lib/schemas/harvest';
import { m } from '$lib/paraglide/messages';
import { db, schema, type Tx } from '../db';
import { DomainError, invalid, notFound } from '../core/errors';
import { harvestChanged, requireContributor, sessionHarvest, type Harvest } from './harvest';
import type { Actor } from '../auth/guards';

// The lists of a harvest note (key insights, actions, open questions, resources): one row per
// item, so ten people adding at once add ten rows and nobody's entry can overwrite another's.
// An edit names the item's version it started from, like the single-text parts.

export type HarvestItem = typeof schema.harvestItems.$inferSelect;

const hi = schema.harvestItems;

/** An edit based on an old version of an item: carries the current item to show beside theirs. */
export class StaleHarvestItem extends DomainError {
	constructor(readonly current: HarvestItem) {
		super('invalid', 'Stale edit', { _form: m.hv_error_stale_item() });
	}
}

/** The columns of an item, checked here too: a link that is not http(s) never gets stored. */
function columns(input: HarvestItemInput) {
	if (input.kind === 'resource') {
		if (!input.url || !isWebUrl(input.url)) throw invalid({ url: m.hv_error_url() });
	} else if (!input.text.trim()) {
		throw invalid({ text: m.error_required() });
	}
	return {
		kind: input.kind,
		text: input.text,
		owner: input.kind === 'action' ? input.owner || null : null,
		dueOn: input.kind === 'action' ? input.dueOn : null,
		url: input.kind === 'resource' ? input.url : null
	};
}

const snapshot = (item: HarvestItem) => ({
	text: item.text,
	owner: item.owner,
	dueOn: item.dueOn,
	url: item.url
});

export async function addHarvestItem(
	actor: Actor,
	eventId: number,
	sessionId: number,
	input: HarvestItemInput
): Promise<HarvestItem> {
	const { actor: who } = await requireContributor(actor, eventId);
	const values = columns(input);
	return db().transaction(async (tx) => {
		const harvest = await sessionHarvest(tx, eventId, sessionId);
		const [item] = await tx
			.insert(hi)
			.values({ eventId, harvestId: harvest.id, ...values, createdBy: who.id })
			.returning();
		await harvestChanged(tx, harvest, who.id, 'item_added', {
			field: item.kind,
			kind: 'added',
			itemId: item.id,
			version: item.version,
			value: snapshot(item)
		});
		return item;
	});
}

/** An item of this harvest, removed or not; another harvest's (or event's) item is not found. */
async function itemOf(tx: Tx, harvest: Harvest, itemId: number) {
	const [item] = await tx
		.select()
		.from(hi)
		.where(and(eq(hi.id, itemId), eq(hi.harvestId, harvest.id), eq(hi.eventId, harvest.eventId)));
	if (!item) throw notFound();
	return item;
}

export async function editHarvestItem(
	actor: Actor,
	eventId: number,
	sessionId: number,
	itemId: number,
	input: HarvestItemInput & { version: number }
): Promise<HarvestItem> {
	const { actor: who } = await requireContributor(actor, eventId);
	const values = columns(input);
	return db().transaction(async (tx) => {
		const harvest = await sessionHarvest(tx, eventId, sessionId);
		const before = await itemOf(tx, harvest, itemId);
		if (before.kind !== values.kind) throw notFound();
		const [saved] = await tx
			.update(hi)
			.set({ ...values, version: input.version + 1, updatedAt: new Date() })
			.where(and(eq(hi.id, itemId), eq(hi.version, input.version), isNull(hi.removedAt)))
			.returning();
		if (!saved) {
			const now = await itemOf(tx, harvest, itemId);
			if (now.removedAt) throw invalid({ _form: m.hv_error_item_removed() });
			throw new StaleHarvestItem(now);
		}
		await harvestChanged(tx, harvest, who.id, 'item_edited', {
			field: saved.kind,
			kind: 'edited',
			itemId: saved.id,
			version: saved.version,
			value: snapshot(saved)
		});
		return saved;
	});
}

/** Take an item off its list. Removing one someone else removed a moment ago is no error. */
export async function removeHarvestItem(
	actor: Actor,
	eventId: number,
	sessionId: number,
	itemId: number
): Promise<void> {
	const { actor: who } = await requireContributor(actor, eventId);
	await db().transaction(async (tx) => {
		const harvest = await sessionHarvest(tx, eventId, sessionId);
		const item = await itemOf(tx, harvest, itemId);
		const [removed] = await tx
			.update(hi)
			.set({ removedAt: new Date(), removedBy: who.id })
			.where(and(eq(hi.id, item.id), isNull(hi.removedAt)))
			.returning();
		if (!removed) return;
		await harvestChanged(tx, harvest, who.id, 'item_removed', {
			field: removed.kind,
			kind: 'removed',
			itemId: removed.id,
			version: removed.version
		});
	});
}
