import { and, eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { m } from '$lib/paraglide/messages';
import { domainError } from '../../../../tests/fixtures/domain-error';
import { useTestDb } from '../../../../tests/fixtures/db';
import { harvestSessions } from '../../../../tests/fixtures/harvest';
import { parseForm } from '$lib/schemas/form';
import { harvestFieldSchema, itemSchema } from '$lib/schemas/harvest';
import { db, schema } from '../db';
import { isDomainError } from '../core/errors';
import {
	StaleHarvestEdit,
	assignNoteTaker,
	harvestLinksShown,
	joinContinuers,
	leaveContinuers,
	openHarvest,
	saveHarvestField,
	unassignNoteTaker
} from './harvest';
import { StaleHarvestItem, addHarvestItem, editHarvestItem, removeHarvestItem } from './items';

useTestDb({ poolSize: 20 });

const insight = (text: string) => ({
	kind: 'insight' as const,
	text,
	owner: null,
	dueOn: null,
	url: null
});

const form = (fields: Record<string, string>) => {
	const data = new FormData();
	for (const [k, v] of Object.entries(fields)) data.set(k, v);
	return data;
};

const liveHarvest = async (eventId: number) =>
	db()
		.select({ data: schema.liveEvents.data })
		.from(schema.liveEvents)
		.where(and(eq(schema.liveEvents.eventId, eventId), eq(schema.liveEvents.topic, 'harvest')));

describe('harvest notes with several note-takers at once', () => {
	it('makes one harvest per session, even when many open it at once', async () => {
		const { event, session, attendees } = await harvestSessions({ attendees: 8 });
		const opened = await Promise.all(attendees.map((a) => openHarvest(a, event.id, session.id)));
		expect(new Set(opened.map((x) => x.harvest.id)).size).toBe(1);
		const rows = await db()
			.select()
			.from(schema.harvests)
			.where(eq(schema.harvests.sessionId, session.id));
		expect(rows).toHaveLength(1);
		expect(opened[0].harvest.question).toEqual({ field: 'question', value: '', version: 0 });
		expect(opened[0].session.room).toBe('Room 1');
	});

	it('loses nothing when ten people add to the same list at once', async () => {
		const { event, session, attendees } = await harvestSessions({ attendees: 10 });
		// Nobody opened the harvest first: the first adds also race to make it.
		const results = await Promise.allSettled(
			attendees.map((a, i) => addHarvestItem(a, event.id, session.id, insight(`Insight ${i}`)))
		);
		expect(results.filter((r) => r.status === 'rejected')).toEqual([]);
		const view = await openHarvest(attendees[0], event.id, session.id);
		expect(view.items.insight.map((x) => x.text).sort()).toEqual(
			attendees.map((_, i) => `Insight ${i}`).sort()
		);
		// Each addition is recorded with its author, and announced to the other screens.
		const changes = await db()
			.select()
			.from(schema.harvestChanges)
			.where(eq(schema.harvestChanges.harvestId, view.harvest.id));
		expect(new Set(changes.map((c) => c.userId))).toEqual(new Set(attendees.map((a) => a.id)));
		const messages = await liveHarvest(event.id);
		expect(messages).toHaveLength(10);
		expect(messages[0].data).toEqual({ sessionId: session.id, field: 'insight' });
	});

	it('lets exactly one of two saves from the same version land; the other sees the current text', async () => {
		const { event, session, attendees } = await harvestSessions({ attendees: 5 });
		const results = await Promise.allSettled(
			attendees.map((a, i) =>
				saveHarvestField(a, event.id, session.id, {
					field: 'notes',
					value: `Notes by ${i}`,
					version: 0
				})
			)
		);
		const won = results.filter((r) => r.status === 'fulfilled');
		expect(won).toHaveLength(1);
		const winner = (won[0] as PromiseFulfilledResult<{ value: unknown; version: number }>).value;
		expect(winner.version).toBe(1);
		for (const r of results.filter((r) => r.status === 'rejected')) {
			const e = (r as PromiseRejectedResult).reason;
			expect(e).toBeInstanceOf(StaleHarvestEdit);
			expect((e as StaleHarvestEdit).current).toEqual({
				field: 'notes',
				value: winner.value,
				version: 1
			});
			expect((e as StaleHarvestEdit).fields.notes).toBe(m.hv_error_stale());
		}
		// A loser who merged by hand saves on top of the version they were shown.
		const merged = await saveHarvestField(attendees[1], event.id, session.id, {
			field: 'notes',
			value: `${winner.value}\n\nand more`,
			version: 1
		});
		expect(merged.version).toBe(2);
		// Another part has its own version: saving it from 0 is not stale.
		await saveHarvestField(attendees[2], event.id, session.id, {
			field: 'question',
			value: 'How do we share servers?',
			version: 0
		});
		await saveHarvestField(attendees[2], event.id, session.id, {
			field: 'participants',
			value: 12,
			version: 0
		});
		const view = await openHarvest(attendees[0], event.id, session.id);
		expect(view.harvest.notes.value).toBe(`${winner.value}\n\nand more`);
		expect(view.harvest.question).toEqual({
			field: 'question',
			value: 'How do we share servers?',
			version: 1
		});
		expect(view.harvest.participants.value).toBe(12);
		const log = await db()
			.select({ action: schema.activity.action })
			.from(schema.activity)
			.where(eq(schema.activity.eventId, event.id));
		expect(log.filter((x) => x.action === 'harvest.notes')).toHaveLength(2);
	});

	it('versions each item: of two edits from one version one lands, and removals are told', async () => {
		const { event, session, attendees } = await harvestSessions({ attendees: 3 });
		const [ana, ben, cat] = attendees;
		const item = await addHarvestItem(ana, event.id, session.id, {
			kind: 'action',
			text: 'Write up the server co-op idea',
			owner: 'Ana',
			dueOn: '2027-07-01',
			url: null
		});
		const edit = (who: typeof ana, text: string) =>
			editHarvestItem(who, event.id, session.id, item.id, {
				kind: 'action',
				text,
				owner: 'Ana',
				dueOn: null,
				url: null,
				version: item.version
			});
		const results = await Promise.allSettled([edit(ben, 'Ben says'), edit(cat, 'Cat says')]);
		expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
		const lost = results.find((r) => r.status === 'rejected') as PromiseRejectedResult;
		expect(lost.reason).toBeInstanceOf(StaleHarvestItem);
		const current = (lost.reason as StaleHarvestItem).current;
		expect(current.version).toBe(2);
		expect(['Ben says', 'Cat says']).toContain(current.text);
		expect(current.dueOn).toBeNull();

		await removeHarvestItem(ana, event.id, session.id, item.id);
		// Two people removing the same item: the second is no error.
		await removeHarvestItem(ben, event.id, session.id, item.id);
		const late = await domainError(() =>
			editHarvestItem(cat, event.id, session.id, item.id, {
				kind: 'action',
				text: 'Late',
				owner: null,
				dueOn: null,
				url: null,
				version: 2
			})
		);
		expect(late).not.toBeInstanceOf(StaleHarvestItem);
		expect(late.fields._form).toMatch(/removed/);
		const view = await openHarvest(ana, event.id, session.id);
		expect(view.items.action).toEqual([]);
	});
});

describe('who may write a harvest', () => {
	it('refuses people without a ticket, ids of other events and unpublished agendas', async () => {
		const { event, session, sessions, attendees, outsider, facilitator } = await harvestSessions();
		const other = await harvestSessions();
		const [ana] = attendees;

		expect((await domainError(() => openHarvest(null, event.id, session.id))).kind).toBe(
			'unauthenticated'
		);
		expect((await domainError(() => openHarvest(outsider, event.id, session.id))).kind).toBe(
			'forbidden'
		);
		const refused = await domainError(() =>
			addHarvestItem(outsider, event.id, session.id, insight('Sneaky'))
		);
		expect(refused.fields._form).toBe(m.error_needs_ticket());
		expect(
			(
				await domainError(() =>
					saveHarvestField(outsider, event.id, session.id, {
						field: 'question',
						value: 'x',
						version: 0
					})
				)
			).fields._form
		).toBe(m.error_needs_ticket());
		expect(
			(await domainError(() => joinContinuers(outsider, event.id, session.id, ''))).fields._form
		).toBe(m.error_needs_ticket());

		// Another event's session, seen from this event, is not found.
		expect((await domainError(() => openHarvest(ana, event.id, other.session.id))).kind).toBe(
			'not_found'
		);
		expect(
			(await domainError(() => addHarvestItem(ana, event.id, other.session.id, insight('x')))).kind
		).toBe('not_found');
		// And another harvest's item, through this harvest, is not found either.
		const theirs = await addHarvestItem(
			other.attendees[0],
			other.event.id,
			other.session.id,
			insight('Theirs')
		);
		for (const run of [
			() => removeHarvestItem(ana, event.id, session.id, theirs.id),
			() =>
				editHarvestItem(ana, event.id, session.id, theirs.id, { ...insight('Mine'), version: 1 }),
			() => removeHarvestItem(ana, event.id, sessions[1].id, theirs.id)
		]) {
			expect((await domainError(run)).kind).toBe('not_found');
		}

		// Facilitators write without a ticket of their own.
		await addHarvestItem(facilitator, event.id, session.id, insight('From the facilitator'));
		expect((await openHarvest(facilitator, event.id, session.id)).rights.manage).toBe(true);

		const unpublished = await harvestSessions({ publish: false });
		expect(
			(
				await domainError(() =>
					openHarvest(unpublished.attendees[0], unpublished.event.id, unpublished.session.id)
				)
			).kind
		).toBe('not_found');
		expect(
			(
				await domainError(() =>
					addHarvestItem(
						unpublished.organiser,
						unpublished.event.id,
						unpublished.session.id,
						insight('x')
					)
				)
			).kind
		).toBe('not_found');
	});

	it('lets facilitators assign ticket holders as note-takers, and nobody else', async () => {
		const { event, session, attendees, outsider, facilitator } = await harvestSessions();
		const [ana, ben] = attendees;
		expect((await domainError(() => assignNoteTaker(ana, event.id, session.id, ben.id))).kind).toBe(
			'forbidden'
		);
		const notHolder = await domainError(() =>
			assignNoteTaker(facilitator, event.id, session.id, outsider.id)
		);
		expect(notHolder.fields.userId).toBe(m.hv_error_not_ticket_holder());
		await assignNoteTaker(facilitator, event.id, session.id, ben.id);
		await assignNoteTaker(facilitator, event.id, session.id, ben.id);
		let view = await openHarvest(ben, event.id, session.id);
		expect(view.noteTakers.map((x) => x.id)).toEqual([ben.id]);
		expect(view.rights).toEqual({ manage: false, noteTaker: true });
		expect(view.candidates).toEqual([]);
		expect((await openHarvest(facilitator, event.id, session.id)).candidates).toHaveLength(
			attendees.length
		);
		await unassignNoteTaker(facilitator, event.id, session.id, ben.id);
		view = await openHarvest(ben, event.id, session.id);
		expect(view.noteTakers).toEqual([]);
	});
});

describe('links to harvest pages', () => {
	it('are shown only to people the harvest page opens for', async () => {
		const { event, organiser, facilitator, attendees, outsider, session } = await harvestSessions();
		for (const allowed of [organiser, facilitator, attendees[0]]) {
			expect(await harvestLinksShown(allowed, event.id)).toBe(true);
			await openHarvest(allowed, event.id, session.id);
		}
		// Signed in without a ticket: the page refuses, so no link leads there.
		expect(await harvestLinksShown(outsider, event.id)).toBe(false);
		expect((await domainError(() => openHarvest(outsider, event.id, session.id))).kind).toBe(
			'forbidden'
		);
		// Signed out: the link asks them to sign in first.
		expect(await harvestLinksShown(null, event.id)).toBe(true);
	});
});

describe('who wants to continue', () => {
	it('shows the list and contacts only to people on it and to facilitators', async () => {
		const { event, session, attendees, facilitator } = await harvestSessions();
		const [ana, ben] = attendees;
		await joinContinuers(ana, event.id, session.id, 'ana@example.org');
		let forBen = await openHarvest(ben, event.id, session.id);
		expect(forBen.continuers).toEqual({ count: 1, mine: null, people: null });
		expect(JSON.stringify(forBen)).not.toContain('ana@example.org');

		const forFacilitator = await openHarvest(facilitator, event.id, session.id);
		expect(forFacilitator.continuers.people).toEqual([
			{ name: 'Test Person', contact: 'ana@example.org' }
		]);

		await joinContinuers(ben, event.id, session.id, '@ben');
		// Joining again changes the contact, not the count.
		await joinContinuers(ben, event.id, session.id, '@ben.social');
		forBen = await openHarvest(ben, event.id, session.id);
		expect(forBen.continuers.count).toBe(2);
		expect(forBen.continuers.mine).toEqual({ contact: '@ben.social' });
		expect(forBen.continuers.people?.map((x) => x.contact)).toEqual([
			'ana@example.org',
			'@ben.social'
		]);

		await leaveContinuers(ben, event.id, session.id);
		forBen = await openHarvest(ben, event.id, session.id);
		expect(forBen.continuers).toEqual({ count: 1, mine: null, people: null });
	});
});

describe('what a harvest stores and shows', () => {
	it('accepts only web links for resources', async () => {
		const { event, session, attendees } = await harvestSessions();
		const link = (url: string) => parseForm(itemSchema, form({ kind: 'resource', url, text: '' }));
		for (const bad of [
			'javascript:alert(1)',
			'JavaScript:alert(1)',
			'data:text/html,<script>alert(1)</script>',
			'ftp://example.org',
			'example.org'
		]) {
			const parsed = link(bad);
			expect(parsed.success).toBe(false);
			if (!parsed.success) expect(parsed.errors.url).toBe(m.hv_error_url());
		}
		const good = link('https://example.org/notes');
		expect(good.success && good.data).toEqual({
			kind: 'resource',
			url: 'https://example.org/notes',
			text: '',
			owner: null,
			dueOn: null
		});
		// The domain checks again, whatever the caller parsed.
		const e = await domainError(() =>
			addHarvestItem(attendees[0], event.id, session.id, {
				kind: 'resource',
				text: 'Click me',
				owner: null,
				dueOn: null,
				url: 'javascript:alert(1)'
			})
		);
		expect(e.fields.url).toBe(m.hv_error_url());
		const view = await openHarvest(attendees[0], event.id, session.id);
		expect(view.items.resource).toEqual([]);
	});

	it('renders notes and items as sanitised Markdown', async () => {
		const { event, session, attendees } = await harvestSessions();
		const [ana] = attendees;
		const hostile =
			'**Bold** <script>alert(1)</script> <img src=x onerror="alert(1)"> [x](javascript:alert(1))';
		// The form refuses such text with a message rather than dropping part of it.
		const parsed = parseForm(
			harvestFieldSchema,
			form({ field: 'notes', notes: hostile, version: '0' })
		);
		expect(!parsed.success && parsed.errors).toEqual({ notes: m.error_unsafe_markup() });
		// Stored by any other route, it still comes out harmless.
		await saveHarvestField(ana, event.id, session.id, {
			field: 'notes',
			value: hostile,
			version: 0
		});
		await addHarvestItem(ana, event.id, session.id, insight(hostile));
		const view = await openHarvest(ana, event.id, session.id);
		for (const html of [view.harvest.notesHtml, view.items.insight[0].html]) {
			expect(html).toContain('<strong>Bold</strong>');
			expect(html).not.toMatch(/<script|onerror|javascript:/i);
		}
	});

	it('refuses a negative number of participants', async () => {
		const { event, session, attendees } = await harvestSessions();
		const e = await saveHarvestField(attendees[0], event.id, session.id, {
			field: 'participants',
			value: -1,
			version: 0
		}).catch((x: unknown) => x);
		expect(isDomainError(e) && e.fields.participants).toBe(m.error_range({ min: 0, max: 9999 }));
	});
});
