import { createHmac, randomBytes } from 'node:crypto';
import { and, asc, desc, eq, inArray, isNull } from 'drizzle-orm';
import { m } from '$lib/paraglide/messages';
import { logActivity } from '../core/activity';
import { requireEventPermission, type Actor } from '../auth/guards';
import { db, schema } from '../db';
import { DomainError, invalid } from '../core/errors';
import { codeFrom } from '$lib/tickets/door-code';
import { admit, type AdmitRow, type DoorOf } from './checkin';

// The door offline: a door phone downloads the event's ticket list with each code replaced by its
// HMAC under the event's door key (the phone hashes what it scans with the same key to look it
// up), admits against it with no connection, and sends its scans later. Each scan carries an id
// made on the phone, so a batch sent again applies once (`door_admit` records scan ids); the same
// ticket admitted at two doors comes back as a conflict for the organiser.

/** A code's keyed hash, as the door phone computes it (Web Crypto HMAC-SHA-256, hex). */
export function codeHash(secret: string, code: string): string {
	return createHmac('sha256', Buffer.from(secret, 'base64url'))
		.update(codeFrom(code))
		.digest('hex');
}

/** The event's current door key, made on first use and after a revocation. */
async function currentKey(eventId: number) {
	const k = schema.doorKeys;
	const where = and(eq(k.eventId, eventId), isNull(k.revokedAt));
	const [key] = await db().select().from(k).where(where).orderBy(desc(k.id)).limit(1);
	if (key) return key;
	const [made] = await db()
		.insert(k)
		.values({ eventId, secret: randomBytes(32).toString('base64url') })
		.returning();
	return made;
}

export interface DoorListTicket {
	/** The code's HMAC under the door key. */
	h: string;
	name: string;
	ticketType: string;
	/** When it was checked in, if it was. */
	in: string | null;
}

/** What a door phone keeps to admit offline: hashed codes and only what the door shows. */
export async function doorList(actor: Actor, eventId: number) {
	await requireEventPermission(actor, eventId, 'checkin.scan');
	const key = await currentKey(eventId);
	const t = schema.tickets;
	const rows = await db()
		.select({
			code: t.code,
			name: t.name,
			ticketType: schema.ticketTypes.name,
			in: t.checkedInAt
		})
		.from(t)
		.innerJoin(schema.ticketTypes, eq(schema.ticketTypes.id, t.ticketTypeId))
		.where(and(eq(t.eventId, eventId), eq(t.status, 'valid')))
		.orderBy(asc(t.id));
	return {
		keyId: key.id,
		key: key.secret,
		at: new Date().toISOString(),
		tickets: rows.map((r): DoorListTicket => ({
			h: codeHash(key.secret, r.code),
			name: r.name,
			ticketType: r.ticketType,
			in: r.in?.toISOString() ?? null
		}))
	};
}

export type DoorList = Awaited<ReturnType<typeof doorList>>;

/** A lost door phone: its key stops working; the next download takes a new one. */
export async function revokeDoorKey(actor: Actor, eventId: number): Promise<void> {
	const who = await requireEventPermission(actor, eventId, 'checkin.keys');
	const k = schema.doorKeys;
	const revoked = await db()
		.update(k)
		.set({ revokedAt: new Date() })
		.where(and(eq(k.eventId, eventId), isNull(k.revokedAt)))
		.returning({ id: k.id });
	await logActivity(db(), {
		eventId,
		actorId: who.id,
		action: 'door_key.revoked',
		data: { keyIds: revoked.map((r) => r.id) }
	});
}

export interface OfflineScan extends DoorOf {
	/** Made on the phone; the same id sent again changes nothing. */
	id: string;
	/** The ticket code's HMAC under the key the phone admitted with: codes never leave the list. */
	h: string;
	/** When the phone admitted it. */
	at: Date;
}

export interface SyncedScan {
	id: string;
	outcome: AdmitRow['outcome'];
	name: string | null;
	ticketType: string | null;
	/** The admission that counts: when and at which door. */
	at: string | null;
	door: string | null;
	conflict: boolean;
}

/**
 * A door phone's offline scans, in the order they were made, each applied once (by scan id).
 * Refused as a whole when the key the phone admitted with is another event's or revoked.
 */
export async function syncDoorScans(
	actor: Actor,
	eventId: number,
	keyId: number,
	scans: OfflineScan[]
): Promise<SyncedScan[]> {
	const who = await requireEventPermission(actor, eventId, 'checkin.scan');
	const k = schema.doorKeys;
	const [key] = await db()
		.select({ id: k.id, secret: k.secret })
		.from(k)
		.where(and(eq(k.id, keyId), eq(k.eventId, eventId), isNull(k.revokedAt)));
	if (!key) throw new DomainError('forbidden', m.checkin_offline_key_refused());
	if (scans.some((s) => !s.id || s.id.length > 100 || Number.isNaN(s.at.getTime())))
		throw invalid({ _form: m.checkin_offline_bad_batch() });
	// The codes behind the hashes: every ticket of the event, so a cancelled one is recognised.
	const t = schema.tickets;
	const codes = new Map(
		(await db().select({ code: t.code }).from(t).where(eq(t.eventId, eventId))).map((r) => [
			codeHash(key.secret, r.code),
			r.code
		])
	);
	const results: SyncedScan[] = [];
	for (const scan of scans) {
		const row = await admit(who.id, eventId, codes.get(scan.h) ?? '', scan, {
			id: scan.id,
			at: scan.at
		});
		results.push({
			id: scan.id,
			outcome: row.outcome,
			name: row.name,
			ticketType: row.ticket_type,
			at: row.at ? new Date(row.at).toISOString() : null,
			door: row.door,
			conflict: row.conflict
		});
	}
	return results;
}

/** Admissions that did not count: a ticket let in twice while offline, or cancelled meanwhile. */
export async function doorConflicts(actor: Actor, eventId: number) {
	await requireEventPermission(actor, eventId, 'checkin.scan');
	const s = schema.doorScans;
	const t = schema.tickets;
	return db()
		.select({
			id: s.id,
			reason: s.outcome,
			name: t.name,
			door: s.door,
			scannedAt: s.scannedAt,
			firstDoor: t.checkedInDoor,
			firstAt: t.checkedInAt
		})
		.from(s)
		.innerJoin(t, eq(t.id, s.ticketId))
		.where(and(eq(s.eventId, eventId), inArray(s.outcome, ['conflict', 'cancelled'])))
		.orderBy(desc(s.scannedAt))
		.limit(100);
}

export type DoorConflict = Awaited<ReturnType<typeof doorConflicts>>[number];
