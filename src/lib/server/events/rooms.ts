import { and, asc, eq, ne } from 'drizzle-orm';
import { m } from '$lib/paraglide/messages';
import type { RoomInput } from '$lib/schemas/events';
import { logActivity } from '../core/activity';
import { requireEventPermission, type Actor } from '../auth/guards';
import { db, schema, type Tx } from '../db';
import { invalid, notFound } from '../core/errors';

export type Room = typeof schema.rooms.$inferSelect;

export async function listRooms(eventId: number): Promise<Room[]> {
	return db()
		.select()
		.from(schema.rooms)
		.where(eq(schema.rooms.eventId, eventId))
		.orderBy(asc(schema.rooms.name));
}

async function refuseDuplicateName(tx: Tx, eventId: number, name: string, exceptId?: number) {
	const [same] = await tx
		.select({ id: schema.rooms.id })
		.from(schema.rooms)
		.where(
			and(
				eq(schema.rooms.eventId, eventId),
				eq(schema.rooms.name, name),
				exceptId === undefined ? undefined : ne(schema.rooms.id, exceptId)
			)
		);
	if (same) throw invalid({ name: m.error_room_name_taken() });
}

export async function addRoom(actor: Actor, eventId: number, input: RoomInput): Promise<Room> {
	const who = await requireEventPermission(actor, eventId, 'rooms.edit');
	return db().transaction(async (tx) => {
		await refuseDuplicateName(tx, eventId, input.name);
		const [room] = await tx
			.insert(schema.rooms)
			.values({ eventId, ...input })
			.returning();
		await logActivity(tx, {
			eventId,
			actorId: who.id,
			action: 'room.added',
			data: { name: room.name }
		});
		return room;
	});
}

export async function updateRoom(
	actor: Actor,
	eventId: number,
	roomId: number,
	input: RoomInput
): Promise<Room> {
	const who = await requireEventPermission(actor, eventId, 'rooms.edit');
	return db().transaction(async (tx) => {
		await refuseDuplicateName(tx, eventId, input.name, roomId);
		const [room] = await tx
			.update(schema.rooms)
			.set(input)
			.where(and(eq(schema.rooms.id, roomId), eq(schema.rooms.eventId, eventId)))
			.returning();
		if (!room) throw notFound();
		await logActivity(tx, {
			eventId,
			actorId: who.id,
			action: 'room.updated',
			data: { name: room.name }
		});
		return room;
	});
}

export async function deleteRoom(actor: Actor, eventId: number, roomId: number): Promise<void> {
	const who = await requireEventPermission(actor, eventId, 'rooms.edit');
	await db().transaction(async (tx) => {
		const [room] = await tx
			.delete(schema.rooms)
			.where(and(eq(schema.rooms.id, roomId), eq(schema.rooms.eventId, eventId)))
			.returning();
		if (!room) throw notFound();
		await logActivity(tx, {
			eventId,
			actorId: who.id,
			action: 'room.deleted',
			data: { name: room.name }
		});
	});
}
