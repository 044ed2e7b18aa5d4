import { and, eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { ticketHolder } from '../../../../tests/fixtures/agenda';
import { useTestDb } from '../../../../tests/fixtures/db';
import { domainError } from '../../../../tests/fixtures/domain-error';
import { makeEvent, makeTicketType } from '../../../../tests/fixtures/factories';
import { harvestSessions } from '../../../../tests/fixtures/harvest';
import { m } from '$lib/paraglide/messages';
import { directorySchema } from '$lib/schemas/directory';
import { parseForm } from '$lib/schemas/form';
import type { Actor } from '../auth/guards';
import { db, schema } from '../db';
import {
	eventDirectory,
	leaveDirectory,
	mayUseDirectory,
	myDirectoryEntry,
	saveDirectoryEntry
} from './directory';

useTestDb();

const entry = (
	fields: Partial<Record<'organisation' | 'offers' | 'seeks' | 'contact', string>>
) => ({
	organisation: '',
	offers: '',
	seeks: '',
	contact: '',
	...fields
});

async function rename(actor: NonNullable<Actor>, name: string) {
	await db().update(schema.users).set({ name }).where(eq(schema.users.id, actor.id));
}

async function emailOf(actor: NonNullable<Actor>) {
	const [user] = await db()
		.select({ email: schema.users.email })
		.from(schema.users)
		.where(eq(schema.users.id, actor.id));
	return user.email;
}

const names = async (actor: Actor, eventId: number, q?: string) =>
	(await eventDirectory(actor, eventId, { q })).map((e) => e.name);

/** An event with named ticket holders, a facilitator and someone without a ticket. */
async function directoryEvent() {
	const setup = await harvestSessions({ attendees: 3 });
	const [ada, bea, cai] = setup.attendees;
	await rename(ada, 'Ada Lovelace');
	await rename(bea, 'Bea Mutual');
	await rename(cai, 'Cai Commons');
	return { ...setup, ada, bea, cai };
}

describe('attendee directory', () => {
	it('lists only people who opted in, by name', async () => {
		const { event, ada, bea, cai } = await directoryEvent();
		await saveDirectoryEntry(cai, event.id, entry({ organisation: 'Platform Co-op' }));
		await saveDirectoryEntry(ada, event.id, entry({ offers: 'Hosting' }));
		// Bea holds a ticket and can read the directory, but is not in it.
		expect(await names(bea, event.id)).toEqual(['Ada Lovelace', 'Cai Commons']);
		expect(await myDirectoryEntry(bea, event.id)).toBeNull();
		// Negative control: once Bea opts in, she is listed.
		await saveDirectoryEntry(bea, event.id, entry({}));
		expect(await names(ada, event.id)).toEqual(['Ada Lovelace', 'Bea Mutual', 'Cai Commons']);
		const mine = (await eventDirectory(bea, event.id)).filter((e) => e.mine);
		expect(mine.map((e) => e.name)).toEqual(['Bea Mutual']);
	});

	it('updates an entry in place, and leaving removes it', async () => {
		const { event, ada, bea } = await directoryEvent();
		await saveDirectoryEntry(ada, event.id, entry({ offers: 'Hosting' }));
		await saveDirectoryEntry(ada, event.id, entry({ offers: 'Hosting and backups' }));
		const [listed] = await eventDirectory(bea, event.id);
		expect(listed.offers).toBe('Hosting and backups');
		expect(await myDirectoryEntry(ada, event.id)).toMatchObject({ offers: 'Hosting and backups' });

		await leaveDirectory(ada, event.id);
		expect(await names(bea, event.id)).toEqual([]);
		expect(await myDirectoryEntry(ada, event.id)).toBeNull();
		// Leaving twice is no error.
		await leaveDirectory(ada, event.id);

		const log = await db()
			.select({ action: schema.activity.action })
			.from(schema.activity)
			.where(and(eq(schema.activity.eventId, event.id), eq(schema.activity.actorId, ada.id)))
			.orderBy(schema.activity.id);
		expect(log.map((x) => x.action).filter((a) => a.startsWith('directory.'))).toEqual([
			'directory.joined',
			'directory.updated',
			'directory.left'
		]);
	});

	it('is closed to people without a ticket and to signed-out visitors', async () => {
		const { event, ada, outsider, facilitator } = await directoryEvent();
		await saveDirectoryEntry(ada, event.id, entry({ offers: 'Hosting' }));

		expect(await mayUseDirectory(outsider, event.id)).toBe(false);
		expect(await mayUseDirectory(null, event.id)).toBe(false);
		expect((await domainError(() => eventDirectory(outsider, event.id))).kind).toBe('forbidden');
		expect((await domainError(() => myDirectoryEntry(outsider, event.id))).kind).toBe('forbidden');
		expect((await domainError(() => saveDirectoryEntry(outsider, event.id, entry({})))).kind).toBe(
			'forbidden'
		);
		expect((await domainError(() => eventDirectory(null, event.id))).kind).toBe('unauthenticated');
		expect((await domainError(() => saveDirectoryEntry(null, event.id, entry({})))).kind).toBe(
			'unauthenticated'
		);
		const stored = await db()
			.select()
			.from(schema.directoryEntries)
			.where(eq(schema.directoryEntries.eventId, event.id));
		expect(stored.map((x) => x.userId)).toEqual([ada.id]);

		// The event's team may read it, and list themselves, without a ticket.
		expect(await names(facilitator, event.id)).toEqual(['Ada Lovelace']);
		await saveDirectoryEntry(facilitator, event.id, entry({ organisation: 'The hosts' }));
		expect(await names(ada, event.id)).toEqual(['Ada Lovelace', 'Facilitator']);
	});

	it("never shows one event's entries in another", async () => {
		const a = await directoryEvent();
		const b = await makeEvent();
		const type = await makeTicketType(b.organiser, b.event.id);
		const holderB = await ticketHolder(b.event.id, type.id);
		await saveDirectoryEntry(a.ada, a.event.id, entry({ offers: 'Hosting' }));
		await saveDirectoryEntry(holderB, b.event.id, entry({ offers: 'Catering' }));

		const inB = await eventDirectory(holderB, b.event.id);
		expect(inB.map((e) => e.offers)).toEqual(['Catering']);
		const inA = await eventDirectory(a.bea, a.event.id);
		expect(inA.map((e) => e.offers)).toEqual(['Hosting']);
		// A ticket for event A opens nothing of event B.
		expect((await domainError(() => eventDirectory(a.ada, b.event.id))).kind).toBe('forbidden');
	});

	it('refuses over-long or marked-up texts, field by field, and stores nothing', async () => {
		const { event, ada } = await directoryEvent();
		const error = await domainError(() =>
			saveDirectoryEntry(ada, event.id, entry({ organisation: 'x'.repeat(201), seeks: '<b>' }))
		);
		expect(error.kind).toBe('invalid');
		expect(error.fields).toEqual({
			organisation: m.error_too_long({ max: 200 }),
			seeks: m.error_no_markup()
		});
		expect(await myDirectoryEntry(ada, event.id)).toBeNull();

		// The form says the same, and keeps what was typed.
		const data = new FormData();
		data.set('offers', 'y'.repeat(1001));
		data.set('contact', 'ada@example.org');
		const parsed = parseForm(directorySchema, data);
		expect(parsed.success).toBe(false);
		if (!parsed.success) {
			expect(parsed.errors).toEqual({ offers: m.error_too_long({ max: 1000 }) });
			expect(parsed.values.contact).toBe('ada@example.org');
		}
		// At the limit is fine.
		await saveDirectoryEntry(ada, event.id, entry({ organisation: 'x'.repeat(200) }));
		expect(await myDirectoryEntry(ada, event.id)).not.toBeNull();
	});

	it('filters by name, organisation, offers and needs', async () => {
		const { event, ada, bea, cai } = await directoryEvent();
		await saveDirectoryEntry(ada, event.id, entry({ organisation: 'Servers Co-op' }));
		await saveDirectoryEntry(bea, event.id, entry({ offers: 'Legal advice for co-ops' }));
		await saveDirectoryEntry(cai, event.id, entry({ seeks: '100% renewable hosting' }));

		expect(await names(ada, event.id, 'bea')).toEqual(['Bea Mutual']);
		expect(await names(ada, event.id, 'CO-OP')).toEqual(['Ada Lovelace', 'Bea Mutual']);
		expect(await names(ada, event.id, 'hosting')).toEqual(['Cai Commons']);
		// Every word must match somewhere; % and _ are plain characters, not wildcards.
		expect(await names(ada, event.id, 'co-op legal')).toEqual(['Bea Mutual']);
		expect(await names(ada, event.id, '100%')).toEqual(['Cai Commons']);
		expect(await names(ada, event.id, '%')).toEqual(['Cai Commons']);
		expect(await names(ada, event.id, '_')).toEqual([]);
		expect(await names(ada, event.id, '   ')).toHaveLength(3);
	});

	it('never shows an e-mail address unless it was typed as the contact', async () => {
		const { event, ada, bea } = await directoryEvent();
		const email = await emailOf(ada);
		await saveDirectoryEntry(ada, event.id, entry({ organisation: 'Co-op', contact: '@ada' }));
		const listed = await eventDirectory(bea, event.id);
		expect(Object.keys(listed[0]).sort()).toEqual(
			['contact', 'mine', 'name', 'offers', 'organisation', 'seeks'].sort()
		);
		const shown = JSON.stringify(listed);
		expect(shown).toContain('@ada');
		expect(shown).not.toContain(email);

		// Negative control: typed in as the contact, it is shown.
		await saveDirectoryEntry(ada, event.id, entry({ contact: email }));
		expect(JSON.stringify(await eventDirectory(bea, event.id))).toContain(email);
	});
});
