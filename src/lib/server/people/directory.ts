import { and, asc, eq, ilike, or, type SQL } from 'drizzle-orm';
import * as v from 'valibot';
import { m } from '$lib/paraglide/messages';
import { directorySchema, type DirectoryInput } from '$lib/schemas/directory';
import { fieldErrors } from '$lib/schemas/form';
import { logActivity } from '../core/activity';
import { participation, requireUser, type Actor } from '../auth/guards';
import { db, schema } from '../db';
import { DomainError, invalid } from '../core/errors';
import { shownName } from './shown-name';

// The attendee directory ("network the networks"): people who opted in, with the organisation
// or network, offers, seeks and contact they typed. Nobody is listed without opting in, and
// nothing is taken from their account but their name (never their e-mail address).

const d = schema.directoryEntries;
const u = schema.users;

/** Ticket holders and the event's team may see the directory and list themselves in it. */
export async function mayUseDirectory(actor: Actor, eventId: number): Promise<boolean> {
	return !!(await participation(actor, eventId, 'directory.view'));
}

async function requireMember(actor: Actor, eventId: number) {
	requireUser(actor);
	if (!(await mayUseDirectory(actor, eventId))) {
		throw new DomainError('forbidden', m.dr_needs_ticket());
	}
	return actor;
}

/** Words of the search box, each of which must appear in the name or one of the texts. */
function matching(eventId: number, q: string): SQL | undefined {
	const words = q.trim().split(/\s+/).filter(Boolean).slice(0, 5);
	const each = words.map((word) => {
		const like = `%${word.replace(/[%_\\]/g, (c) => `\\${c}`)}%`;
		return or(
			ilike(shownName(eventId, u), like),
			ilike(d.organisation, like),
			ilike(d.offers, like),
			ilike(d.seeks, like)
		);
	});
	return each.length ? and(...each) : undefined;
}

/** The opted-in entries of the event, by name; `q` narrows them to those that match. */
export async function eventDirectory(actor: Actor, eventId: number, options: { q?: string } = {}) {
	const who = await requireMember(actor, eventId);
	const rows = await db()
		.select({
			userId: d.userId,
			name: shownName(eventId, u),
			organisation: d.organisation,
			offers: d.offers,
			seeks: d.seeks,
			contact: d.contact
		})
		.from(d)
		.innerJoin(u, eq(u.id, d.userId))
		.where(and(eq(d.eventId, eventId), matching(eventId, options.q ?? '')))
		.orderBy(asc(shownName(eventId, u)), asc(u.id));
	// Ids stay on the server: the page only needs to know which entry is the reader's own.
	return rows.map(({ userId, ...entry }) => ({ ...entry, mine: userId === who.id }));
}

export type DirectoryEntryView = Awaited<ReturnType<typeof eventDirectory>>[number];

/** The reader's own entry, to fill the form; null when they have not opted in. */
export async function myDirectoryEntry(actor: Actor, eventId: number) {
	const who = await requireMember(actor, eventId);
	const [entry] = await db()
		.select({
			organisation: d.organisation,
			offers: d.offers,
			seeks: d.seeks,
			contact: d.contact
		})
		.from(d)
		.where(and(eq(d.eventId, eventId), eq(d.userId, who.id)));
	return entry ?? null;
}

/** Opt in to the directory, or change what the entry says. */
export async function saveDirectoryEntry(
	actor: Actor,
	eventId: number,
	input: DirectoryInput
): Promise<void> {
	const who = await requireMember(actor, eventId);
	// Checked here too, so no caller can store an over-long or marked-up entry.
	const parsed = v.safeParse(directorySchema, input);
	if (!parsed.success) throw invalid(fieldErrors(parsed.issues));
	const values = parsed.output;
	await db().transaction(async (tx) => {
		const [before] = await tx
			.select({ userId: d.userId })
			.from(d)
			.where(and(eq(d.eventId, eventId), eq(d.userId, who.id)));
		await tx
			.insert(d)
			.values({ eventId, userId: who.id, ...values })
			.onConflictDoUpdate({
				target: [d.eventId, d.userId],
				set: { ...values, updatedAt: new Date() }
			});
		// The texts stay out of the audit trail: they are the person's, and they can take them back.
		await logActivity(tx, {
			eventId,
			actorId: who.id,
			action: before ? 'directory.updated' : 'directory.joined'
		});
	});
}

/**
 * Take one's entry out of the directory; leaving when not listed is no error. Anyone signed in
 * may, so a person whose ticket was cancelled can still take back what they shared.
 */
export async function leaveDirectory(actor: Actor, eventId: number): Promise<void> {
	requireUser(actor);
	const who = actor;
	await db().transaction(async (tx) => {
		const removed = await tx
			.delete(d)
			.where(and(eq(d.eventId, eventId), eq(d.userId, who.id)))
			.returning({ userId: d.userId });
		if (removed.length) {
			await logActivity(tx, { eventId, actorId: who.id, action: 'directory.left' });
		}
	});
}
