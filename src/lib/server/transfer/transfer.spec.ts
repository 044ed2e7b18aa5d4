import { eq, getTableName, sql } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { m } from '$lib/paraglide/messages';
import { db, schema } from '../db';
import { useTestDb } from '../../../../tests/fixtures/db';
import { domainError } from '../../../../tests/fixtures/domain-error';
import { actorOf, makeUser } from '../../../../tests/fixtures/factories';
import { ownedTables, richEvent, rowCounts } from '../../../../tests/fixtures/transfer';
import { exportEvent } from './export';
import type { EventDocument } from './format';
import { importEvent } from './import';
import { EVENT_INFO, NOT_EXPORTED, PEOPLE, SECTION_INFO } from './sections';

useTestDb();

describe('event export and import', () => {
	let rich: Awaited<ReturnType<typeof richEvent>>;
	let first: EventDocument;
	beforeAll(async () => {
		rich = await richEvent();
		first = await exportEvent(rich.organiser, rich.event.id);
	});

	it('fills every section of the document from a rich event', () => {
		for (const section of SECTION_INFO) {
			const value = first[section.key];
			expect(Array.isArray(value) ? value.length : value, section.key).toBeTruthy();
		}
		expect(JSON.stringify(first)).not.toMatch(/passwordHash|tokenHash/);
		// References inside jsonb are document refs too; a deleted block's id is dropped.
		const refs = (key: string) => (first[key] as { id: number }[]).map((r) => r.id);
		const people = first.people.map((p) => p.ref);
		const proposal = (first.proposals as { blockIds: number[] }[]).find((p) => p.blockIds.length);
		expect(proposal?.blockIds.every((id) => refs('blocks').includes(id))).toBe(true);
		const [merge] = first.merges as { moved: { userId: number }[]; addedConveners: number[] }[];
		expect(merge.moved.length).toBeGreaterThan(0);
		expect(merge.moved.every((m) => people.includes(m.userId))).toBe(true);
		expect(merge.addedConveners.every((id) => people.includes(id))).toBe(true);
	});

	it('is the same document when exported twice', async () => {
		expect(await exportEvent(rich.organiser, rich.event.id)).toEqual(first);
	});

	it('only lets organisers export', async () => {
		const e = await domainError(() => exportEvent(rich.facilitator, rich.event.id));
		expect(e.kind).toBe('forbidden');
	});

	it('refuses an import while the event’s tickets are here, changing nothing', async () => {
		const before = await rowCounts();
		const e = await domainError(() =>
			importEvent(rich.organiser, JSON.stringify(first), { slug: 'a-copy' })
		);
		expect(e.fields.file).toMatch(/tickets already exist/);
		expect(await rowCounts()).toEqual(before);
	});

	it('refuses a slug that is taken, for the slug field', async () => {
		const before = await rowCounts();
		const e = await domainError(() => importEvent(rich.organiser, JSON.stringify(first)));
		expect(e.fields.slug).toBe(m.error_slug_taken());
		expect(await rowCounts()).toEqual(before);
	});

	it('round-trips every row, with the file’s people as placeholders and its team as invitations', async () => {
		await db().delete(schema.events).where(eq(schema.events.id, rich.event.id));
		const imported = await importEvent(rich.organiser, JSON.stringify(first));
		expect(imported.slug).toBe(rich.event.slug);
		expect(imported.id).not.toBe(rich.event.id);
		const again = await exportEvent(rich.organiser, imported.id);
		expect(withoutPeople(again)).toEqual(withoutPeople(first));
		// The same people by name, each now an imported participant; the importer is themself.
		const [me] = await db()
			.select()
			.from(schema.users)
			.where(eq(schema.users.id, rich.organiser.id));
		const importer = first.people.find((p) => p.email === me.email)!;
		const names = (doc: EventDocument) => doc.people.map((p) => p.name).sort();
		expect(names(again)).toEqual(
			[
				...first.people.map((p) => m.tr_imported_participant({ name: p.name })),
				importer.name
			].sort()
		);
		const invites = await db()
			.select()
			.from(schema.invites)
			.where(eq(schema.invites.eventId, imported.id));
		const roles = (first.team as { userId: number; role: string }[]).map((r) => [
			first.people.find((p) => p.ref === r.userId)!.email,
			r.role
		]);
		expect(invites.map((i) => [i.email, i.role]).sort()).toEqual(roles.sort());
		const [logged] = await db()
			.select()
			.from(schema.activity)
			.where(eq(schema.activity.action, 'event.imported'));
		expect(logged.eventId).toBe(imported.id);
	});

	it('imports under another slug for someone new, with new placeholders each time', async () => {
		// Tickets are already here from the round trip; a file without them still imports.
		const doc = { ...first, orders: [], tickets: [], waitingList: [] } as EventDocument;
		const stranger = await makeUser({ name: 'Stranger' });
		const copy = await importEvent(actorOf(stranger), JSON.stringify(doc), { slug: 'my-copy' });
		const team = await db()
			.select()
			.from(schema.eventRoles)
			.where(eq(schema.eventRoles.eventId, copy.id));
		expect(team.map((r) => [r.userId, r.role])).toEqual([[stranger.id, 'organiser']]);
		const exported = await exportEvent(actorOf(stranger), copy.id);
		expect(exported.people.map((p) => p.email)).toContain(stranger.email);
		const [people] = await db()
			.select({ n: sql<number>`count(*)::int` })
			.from(schema.users);
		const again = await importEvent(actorOf(stranger), JSON.stringify(doc), { slug: 'copy-two' });
		const [after] = await db()
			.select({ n: sql<number>`count(*)::int` })
			.from(schema.users);
		expect(after.n).toBe(people.n + doc.people.length);
		expect(again.slug).toBe('copy-two');
	});

	it('lets anyone signed in import, and nobody anonymous', async () => {
		const e = await domainError(() => importEvent(null, JSON.stringify(first), { slug: 'anon' }));
		expect(e.kind).toBe('unauthenticated');
	});
});

// The merge's jsonb lists of people.
const PERSON_LISTS = ['addedConveners', 'movedInterest', 'moved'];

/** A document without who people are: every reference to a person and the team left out. */
function withoutPeople(doc: EventDocument) {
	const personalEvent = EVENT_INFO.columns.filter((c) => c.ref === PEOPLE).map((c) => c.key);
	const out: Record<string, unknown> = {
		event: Object.fromEntries(Object.entries(doc.event).filter(([k]) => !personalEvent.includes(k)))
	};
	for (const section of SECTION_INFO) {
		if (section.key === 'team') continue;
		const personal = section.columns
			.filter((c) => c.ref === PEOPLE || PERSON_LISTS.includes(c.key))
			.map((c) => c.key);
		const value = doc[section.key];
		const rows = (section.single ? (value ? [value] : []) : value) as Record<string, unknown>[];
		out[section.key] = rows
			.map((r) =>
				JSON.stringify(Object.fromEntries(Object.entries(r).filter(([k]) => !personal.includes(k))))
			)
			.sort();
	}
	return out;
}

describe('coverage of the document', () => {
	const sectionTables = SECTION_INFO.map((s) => getTableName(s.table));
	const missing = async (covered: string[]) => {
		const owned = await ownedTables();
		expect(owned.length).toBeGreaterThan(30);
		const known = new Set(['events', ...covered, ...Object.keys(NOT_EXPORTED)]);
		return owned.filter((name) => !known.has(name));
	};

	it('covers every table that belongs to an event', async () => {
		expect(await missing(sectionTables)).toEqual([]);
	});

	it('would notice a table left out (negative control)', async () => {
		const without = sectionTables.filter((t) => t !== 'harvest_continuers');
		expect(await missing(without)).toEqual(['harvest_continuers']);
	});
});
