import { desc, eq } from 'drizzle-orm';
import { requireEventPermission, type Actor } from '../auth/guards';
import { db, schema, type Db, type Tx } from '../db';
import type { ActivityAction } from './activity-sentences';

export interface ActivityEntry {
	eventId?: number | null;
	actorId?: number | null;
	/** A code with a sentence in activity-sentences.ts. */
	action: ActivityAction;
	data?: Record<string, unknown>;
}

/** Append one line to the audit trail, inside the caller's transaction when given one. */
export async function logActivity(tx: Tx | Db, entry: ActivityEntry): Promise<void> {
	await tx.insert(schema.activity).values({
		eventId: entry.eventId ?? null,
		actorId: entry.actorId ?? null,
		action: entry.action,
		data: entry.data ?? {}
	});
}

export async function listEventActivity(actor: Actor, eventId: number, limit = 200) {
	await requireEventPermission(actor, eventId, 'activity.view');
	const a = schema.activity;
	return db()
		.select({
			id: a.id,
			action: a.action,
			data: a.data,
			createdAt: a.createdAt,
			actorName: schema.users.name,
			actorEmail: schema.users.email
		})
		.from(a)
		.leftJoin(schema.users, eq(schema.users.id, a.actorId))
		.where(eq(a.eventId, eventId))
		.orderBy(desc(a.id))
		.limit(limit);
}
