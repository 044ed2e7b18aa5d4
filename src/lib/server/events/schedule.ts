import { and, asc, eq, gt, lt, ne } from 'drizzle-orm';
import { m } from '$lib/paraglide/messages';
import type { BlockInput } from '$lib/schemas/events';
import { instantToZoned, zonedToInstant } from '$lib/time';
import { logActivity } from '../core/activity';
import { requireEventPermission, type Actor } from '../auth/guards';
import { db, schema, type Tx } from '../db';
import { invalid, notFound } from '../core/errors';

export type Day = typeof schema.days.$inferSelect;
export type Block = typeof schema.blocks.$inferSelect;

/** The day plan: each day with its blocks in order, and the room each block is in. */
export async function listSchedule(eventId: number) {
	const dayRows = await db()
		.select()
		.from(schema.days)
		.where(eq(schema.days.eventId, eventId))
		.orderBy(asc(schema.days.date));
	const blockRows = await db()
		.select({ block: schema.blocks, roomName: schema.rooms.name })
		.from(schema.blocks)
		.leftJoin(schema.rooms, eq(schema.rooms.id, schema.blocks.roomId))
		.where(eq(schema.blocks.eventId, eventId))
		.orderBy(asc(schema.blocks.startsAt));
	return dayRows.map((day) => ({
		...day,
		blocks: blockRows
			.filter((r) => r.block.dayId === day.id)
			.map((r) => ({ ...r.block, roomName: r.roomName }))
	}));
}

async function eventTimeZone(tx: Tx, eventId: number): Promise<string> {
	const [event] = await tx
		.select({ timeZone: schema.events.timeZone })
		.from(schema.events)
		.where(eq(schema.events.id, eventId));
	if (!event) throw notFound();
	return event.timeZone;
}

/** Resolve a block's day and room inside this event, and refuse an overlap on that day. */
async function placeBlock(tx: Tx, eventId: number, input: BlockInput, exceptId?: number) {
	const [day] = await tx
		.select()
		.from(schema.days)
		.where(and(eq(schema.days.id, input.dayId), eq(schema.days.eventId, eventId)));
	if (!day) throw invalid({ dayId: m.error_not_in_event() });
	if (input.roomId !== null) {
		const [room] = await tx
			.select({ id: schema.rooms.id })
			.from(schema.rooms)
			.where(and(eq(schema.rooms.id, input.roomId), eq(schema.rooms.eventId, eventId)));
		if (!room) throw invalid({ roomId: m.error_not_in_event() });
	}
	const timeZone = await eventTimeZone(tx, eventId);
	const startsAt = zonedToInstant(day.date, input.start, timeZone);
	const endsAt = zonedToInstant(day.date, input.end, timeZone);
	if (endsAt <= startsAt) throw invalid({ end: m.error_block_end() });

	const b = schema.blocks;
	const overlapping = and(
		eq(b.dayId, day.id),
		lt(b.startsAt, endsAt),
		gt(b.endsAt, startsAt),
		exceptId === undefined ? undefined : ne(b.id, exceptId)
	);
	const [clash] = await tx.select().from(b).where(overlapping).limit(1);
	if (clash) {
		const from = instantToZoned(clash.startsAt, timeZone).time;
		const to = instantToZoned(clash.endsAt, timeZone).time;
		throw invalid({ start: m.error_block_overlap({ title: clash.title, from, to }) });
	}
	return {
		dayId: day.id,
		kind: input.kind,
		title: input.title,
		startsAt,
		endsAt,
		roomId: input.roomId
	};
}

async function lockEvent(tx: Tx, eventId: number) {
	// Serialises schedule edits of one event so two overlapping blocks cannot both pass the check.
	await tx
		.select({ id: schema.events.id })
		.from(schema.events)
		.where(eq(schema.events.id, eventId))
		.for('update');
}

export async function addBlock(actor: Actor, eventId: number, input: BlockInput): Promise<Block> {
	const who = await requireEventPermission(actor, eventId, 'schedule.edit');
	return db().transaction(async (tx) => {
		await lockEvent(tx, eventId);
		const values = await placeBlock(tx, eventId, input);
		const [block] = await tx
			.insert(schema.blocks)
			.values({ eventId, ...values })
			.returning();
		await logActivity(tx, {
			eventId,
			actorId: who.id,
			action: 'block.added',
			data: { title: block.title }
		});
		return block;
	});
}

export async function updateBlock(
	actor: Actor,
	eventId: number,
	blockId: number,
	input: BlockInput
): Promise<Block> {
	const who = await requireEventPermission(actor, eventId, 'schedule.edit');
	return db().transaction(async (tx) => {
		await lockEvent(tx, eventId);
		const values = await placeBlock(tx, eventId, input, blockId);
		const [block] = await tx
			.update(schema.blocks)
			.set(values)
			.where(and(eq(schema.blocks.id, blockId), eq(schema.blocks.eventId, eventId)))
			.returning();
		if (!block) throw notFound();
		await logActivity(tx, {
			eventId,
			actorId: who.id,
			action: 'block.updated',
			data: { title: block.title }
		});
		return block;
	});
}

export async function deleteBlock(actor: Actor, eventId: number, blockId: number): Promise<void> {
	const who = await requireEventPermission(actor, eventId, 'schedule.edit');
	await db().transaction(async (tx) => {
		const [block] = await tx
			.delete(schema.blocks)
			.where(and(eq(schema.blocks.id, blockId), eq(schema.blocks.eventId, eventId)))
			.returning();
		if (!block) throw notFound();
		await logActivity(tx, {
			eventId,
			actorId: who.id,
			action: 'block.deleted',
			data: { title: block.title }
		});
	});
}

export async function setDayTitle(
	actor: Actor,
	eventId: number,
	dayId: number,
	title: string
): Promise<void> {
	const who = await requireEventPermission(actor, eventId, 'schedule.edit');
	const [day] = await db()
		.update(schema.days)
		.set({ title })
		.where(and(eq(schema.days.id, dayId), eq(schema.days.eventId, eventId)))
		.returning();
	if (!day) throw notFound();
	await logActivity(db(), {
		eventId,
		actorId: who.id,
		action: 'day.renamed',
		data: { date: day.date, title }
	});
}
