import { and, asc, eq, isNull, sql } from 'drizzle-orm';
import type { HarvestField, HarvestItemKind } from '$lib/constants';
import { renderMarkdown } from '$lib/markdown';
import { m } from '$lib/paraglide/messages';
import type { HarvestFieldInput } from '$lib/schemas/harvest';
import { logActivity } from '../core/activity';
import type { ActivityCodesUnder } from '../core/activity-sentences';
import { convenersOf } from '../marketplace/conveners';
import { continuersList } from './continuers';
import {
	participation,
	requireEventPermission,
	requireParticipant,
	requireUser,
	ticketHolders,
	type Actor
} from '../auth/guards';
import { db, schema, type Db, type Tx } from '../db';
import { DomainError, invalid, notFound } from '../core/errors';
import { live } from '../live/hub';
import { shownName } from '../people/shown-name';

// The harvest note of a session on a published agenda, written by several note-takers at once.
// Single-text parts (question, notes, participants) each carry a version: a save names the
// version it started from and its UPDATE only matches that one, so of two saves from the same
// version exactly one lands and the other is shown the current text. Lists are one row per item
// (items.ts), so parallel additions never meet. Every change also goes into
// `harvest_changes` with its author, for that person's export of their data.

export type Harvest = typeof schema.harvests.$inferSelect;

const h = schema.harvests;
const s = schema.agendaSessions;

/** Ticket holders write; so do the people running the event's harvests. Checked before a transaction. */
export async function requireContributor(actor: Actor, eventId: number) {
	requireUser(actor);
	const way = await requireParticipant(actor, eventId, 'harvest.manage');
	return { actor, manage: way === 'team' };
}

/** A session of this event's published agendas (another event's, or unpublished: not found). */
async function publishedSession(tx: Tx | Db, eventId: number, sessionId: number) {
	const [session] = await tx
		.select({ id: s.id })
		.from(s)
		.innerJoin(schema.rounds, eq(schema.rounds.id, s.roundId))
		.where(and(eq(s.id, sessionId), eq(s.eventId, eventId), eq(schema.rounds.phase, 'scheduled')));
	if (!session) throw notFound();
	return session;
}

/** The session's harvest, made on first use; two people opening it at once get the same one. */
export async function sessionHarvest(tx: Tx | Db, eventId: number, sessionId: number) {
	await publishedSession(tx, eventId, sessionId);
	await tx.insert(h).values({ eventId, sessionId }).onConflictDoNothing();
	const [harvest] = await tx
		.select()
		.from(h)
		.where(and(eq(h.sessionId, sessionId), eq(h.eventId, eventId)));
	if (!harvest) throw notFound();
	return harvest;
}

/** Record who changed what, write the audit line, and tell the other note-takers' screens. */
export async function harvestChanged(
	tx: Tx,
	harvest: Harvest,
	userId: number,
	what: ActivityCodesUnder<'harvest'>,
	change: {
		field: string;
		kind?: string;
		itemId?: number | null;
		version?: number;
		value?: unknown;
	}
) {
	if (change.kind) {
		await tx.insert(schema.harvestChanges).values({
			eventId: harvest.eventId,
			harvestId: harvest.id,
			field: change.field,
			itemId: change.itemId ?? null,
			change: change.kind,
			version: change.version ?? 0,
			value: change.value ?? null,
			userId
		});
	}
	await logActivity(tx, {
		eventId: harvest.eventId,
		actorId: userId,
		action: `harvest.${what}`,
		data: { sessionId: harvest.sessionId, field: change.field, itemId: change.itemId }
	});
	await live().publish(
		harvest.eventId,
		'harvest',
		{ sessionId: harvest.sessionId, field: change.field },
		tx
	);
}

export interface FieldState {
	field: HarvestField;
	value: string | number | null;
	version: number;
}

const VERSION_OF = {
	question: 'questionVersion',
	notes: 'notesVersion',
	participants: 'participantsVersion'
} as const satisfies Record<HarvestField, keyof Harvest>;

const fieldState = (harvest: Harvest, field: HarvestField): FieldState => ({
	field,
	value: harvest[field],
	version: harvest[VERSION_OF[field]]
});

/** A save based on an old version of a part: carries the current text to show beside theirs. */
export class StaleHarvestEdit extends DomainError {
	constructor(readonly current: FieldState) {
		super('invalid', 'Stale edit', { [current.field]: m.hv_error_stale() });
	}
}

/** Save one single-text part of the harvest, based on the version the note-taker started from. */
export async function saveHarvestField(
	actor: Actor,
	eventId: number,
	sessionId: number,
	input: HarvestFieldInput
): Promise<FieldState> {
	const { actor: who } = await requireContributor(actor, eventId);
	const { field, value, version } = input;
	if (field === 'participants' && value !== null && !(Number.isInteger(value) && value >= 0)) {
		throw invalid({ participants: m.error_range({ min: 0, max: 9999 }) });
	}
	return db().transaction(async (tx) => {
		const harvest = await sessionHarvest(tx, eventId, sessionId);
		const versionKey = VERSION_OF[field];
		const [saved] = await tx
			.update(h)
			.set({
				[field]: value,
				[versionKey]: sql`${h[versionKey]} + 1`,
				updatedAt: new Date()
			})
			.where(and(eq(h.id, harvest.id), eq(h[versionKey], version)))
			.returning();
		if (!saved) {
			// Read again: the row read above may predate the save that beat this one.
			const [now] = await tx.select().from(h).where(eq(h.id, harvest.id));
			throw new StaleHarvestEdit(fieldState(now, field));
		}
		const state = fieldState(saved, field);
		await harvestChanged(tx, saved, who.id, field, {
			field,
			kind: 'saved',
			version: state.version,
			value
		});
		return state;
	});
}

/** A facilitator asks a ticket holder to take the session's notes. */
export async function assignNoteTaker(
	actor: Actor,
	eventId: number,
	sessionId: number,
	userId: number
): Promise<void> {
	const who = await requireEventPermission(actor, eventId, 'harvest.manage');
	await db().transaction(async (tx) => {
		const harvest = await sessionHarvest(tx, eventId, sessionId);
		if (!(await ticketHolders(eventId, [userId], tx)).has(userId)) {
			throw invalid({ userId: m.hv_error_not_ticket_holder() });
		}
		await tx
			.insert(schema.harvestNoteTakers)
			.values({ harvestId: harvest.id, userId, assignedBy: who.id })
			.onConflictDoNothing();
		await harvestChanged(tx, harvest, who.id, 'note_taker_assigned', { field: 'noteTakers' });
	});
}

export async function unassignNoteTaker(
	actor: Actor,
	eventId: number,
	sessionId: number,
	userId: number
): Promise<void> {
	const who = await requireEventPermission(actor, eventId, 'harvest.manage');
	await db().transaction(async (tx) => {
		const harvest = await sessionHarvest(tx, eventId, sessionId);
		const nt = schema.harvestNoteTakers;
		await tx.delete(nt).where(and(eq(nt.harvestId, harvest.id), eq(nt.userId, userId)));
		await harvestChanged(tx, harvest, who.id, 'note_taker_unassigned', { field: 'noteTakers' });
	});
}

/** "Who wants to continue": add yourself with the contact you choose to share, or change it. */
export async function joinContinuers(
	actor: Actor,
	eventId: number,
	sessionId: number,
	contact: string
): Promise<void> {
	const { actor: who } = await requireContributor(actor, eventId);
	await db().transaction(async (tx) => {
		const harvest = await sessionHarvest(tx, eventId, sessionId);
		await tx
			.insert(schema.harvestContinuers)
			.values({ harvestId: harvest.id, userId: who.id, contact })
			.onConflictDoUpdate({
				target: [schema.harvestContinuers.harvestId, schema.harvestContinuers.userId],
				set: { contact }
			});
		await harvestChanged(tx, harvest, who.id, 'continue_joined', { field: 'continuers' });
	});
}

export async function leaveContinuers(
	actor: Actor,
	eventId: number,
	sessionId: number
): Promise<void> {
	const { actor: who } = await requireContributor(actor, eventId);
	await db().transaction(async (tx) => {
		const harvest = await sessionHarvest(tx, eventId, sessionId);
		const c = schema.harvestContinuers;
		await tx.delete(c).where(and(eq(c.harvestId, harvest.id), eq(c.userId, who.id)));
		await harvestChanged(tx, harvest, who.id, 'continue_left', { field: 'continuers' });
	});
}

/** The session a harvest is about: title, room, block, conveners. */
async function sessionFacts(eventId: number, sessionId: number) {
	const p = schema.proposals;
	const [row] = await db()
		.select({
			title: p.title,
			question: p.question,
			proposalId: p.id,
			room: schema.rooms.name,
			block: {
				title: schema.blocks.title,
				startsAt: schema.blocks.startsAt,
				endsAt: schema.blocks.endsAt
			}
		})
		.from(s)
		.innerJoin(p, eq(p.id, s.proposalId))
		.innerJoin(schema.rooms, eq(schema.rooms.id, s.roomId))
		.innerJoin(schema.blocks, eq(schema.blocks.id, s.blockId))
		.where(and(eq(s.id, sessionId), eq(s.eventId, eventId)));
	if (!row) throw notFound();
	const conveners = await convenersOf(db(), [row.proposalId]);
	return { ...row, conveners: (conveners.get(row.proposalId) ?? []).map((c) => c.name) };
}

/**
 * Open a session's harvest (made on first open) with everything its page shows. The list of
 * who wants to continue is only for people on it and facilitators; others get the count.
 */
/**
 * Whether links to the event's harvest pages lead somewhere for this person: someone signed out
 * is asked to sign in there; signed in, ticket holders and the team open them, anyone else
 * would be refused, so they are shown no link.
 */
export async function harvestLinksShown(actor: Actor, eventId: number): Promise<boolean> {
	if (!actor) return true;
	return (await participation(actor, eventId, 'harvest.manage')) !== null;
}

export async function openHarvest(actor: Actor, eventId: number, sessionId: number) {
	requireUser(actor);
	const way = await participation(actor, eventId, 'harvest.manage');
	if (!way) throw new DomainError('forbidden', m.hv_needs_ticket());
	const manage = way === 'team';
	const harvest = await db().transaction((tx) => sessionHarvest(tx, eventId, sessionId));
	const nt = schema.harvestNoteTakers;
	const hi = schema.harvestItems;
	const u = schema.users;
	const [session, items, noteTakers, continuers] = await Promise.all([
		sessionFacts(eventId, sessionId),
		db()
			.select()
			.from(hi)
			.where(and(eq(hi.harvestId, harvest.id), isNull(hi.removedAt)))
			.orderBy(asc(hi.createdAt), asc(hi.id)),
		db()
			.select({ id: u.id, name: shownName(eventId, u) })
			.from(nt)
			.innerJoin(u, eq(u.id, nt.userId))
			.where(eq(nt.harvestId, harvest.id))
			.orderBy(asc(nt.assignedAt), asc(u.id)),
		continuersList(eventId, sessionId, actor.id, manage)
	]);
	const lists: Record<HarvestItemKind, HarvestItemView[]> = {
		insight: [],
		action: [],
		question: [],
		resource: []
	};
	for (const item of items) lists[item.kind].push(itemView(item));
	return {
		session: { id: sessionId, ...session },
		harvest: {
			id: harvest.id,
			question: fieldState(harvest, 'question'),
			notes: fieldState(harvest, 'notes'),
			notesHtml: renderMarkdown(harvest.notes),
			participants: fieldState(harvest, 'participants')
		},
		items: lists,
		noteTakers,
		continuers,
		rights: { manage, noteTaker: noteTakers.some((x) => x.id === actor.id) },
		candidates: manage ? await ticketHolderNames(eventId) : []
	};
}

export type HarvestView = Awaited<ReturnType<typeof openHarvest>>;

type ItemRow = typeof schema.harvestItems.$inferSelect;

const itemView = (item: ItemRow) => ({
	id: item.id,
	kind: item.kind,
	text: item.text,
	html: item.kind === 'resource' ? '' : renderMarkdown(item.text),
	owner: item.owner,
	dueOn: item.dueOn,
	url: item.url,
	version: item.version
});

export type HarvestItemView = ReturnType<typeof itemView>;

/** The event's ticket holders by name, for choosing note-takers. */
async function ticketHolderNames(eventId: number) {
	const t = schema.tickets;
	const u = schema.users;
	const rows = await db()
		.selectDistinct({ id: u.id, name: shownName(eventId, u) })
		.from(t)
		.innerJoin(u, eq(u.id, t.holderId))
		.where(and(eq(t.eventId, eventId), eq(t.status, 'valid')));
	return rows.sort((x, y) => x.name.localeCompare(y.name) || x.id - y.id);
}
