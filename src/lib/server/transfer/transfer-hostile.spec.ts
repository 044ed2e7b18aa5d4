import { beforeAll, describe, expect, it } from 'vitest';
import { m } from '$lib/paraglide/messages';
import { useTestDb } from '../../../../tests/fixtures/db';
import { domainError } from '../../../../tests/fixtures/domain-error';
import {
	makeEvent,
	makeTicketType,
	makeUser,
	orderInput
} from '../../../../tests/fixtures/factories';
import { rowCounts } from '../../../../tests/fixtures/transfer';
import type { Actor } from '../auth/guards';
import { orderAndConfirm } from '../../../../tests/fixtures/mailbox';
import { exportEvent } from './export';
import type { DocRow, EventDocument } from './format';
import { importEvent } from './import';

useTestDb();

// Each broken file is the exported document of a small real event with one thing changed, and
// imported under a free slug (so only the broken thing can be the reason it is refused).

describe('importing a malformed or hostile file', () => {
	let organiser: NonNullable<Actor>;
	let good: EventDocument;
	let counts: Record<string, number>;
	const copy = () => structuredClone(good) as EventDocument & Record<string, DocRow[]>;
	const refused = async (input: unknown) => {
		const e = await domainError(() => importEvent(organiser, input, { slug: 'imported' }));
		expect(e.kind).toBe('invalid');
		expect(await rowCounts()).toEqual(counts);
		return e.fields.file ?? e.fields.slug;
	};

	beforeAll(async () => {
		const made = await makeEvent();
		organiser = made.organiser;
		const type = await makeTicketType(organiser, made.event.id);
		await orderAndConfirm(made.event.id, orderInput(type.id));
		good = await exportEvent(organiser, made.event.id);
		good = { ...good, tickets: [], orders: [] } as EventDocument;
		await makeUser();
		counts = await rowCounts();
	});

	it('imports the unbroken document (positive control)', async () => {
		const event = await importEvent(organiser, JSON.stringify(good), { slug: 'control' });
		expect(event.slug).toBe('control');
		counts = await rowCounts();
	});

	it('refuses what is not JSON', async () => {
		expect(await refused('{"format": "commonspace-event/1",')).toMatch(/not JSON/);
		expect(await refused(new Blob([]))).toMatch(/Choose an event file/);
		expect(await refused(undefined)).toMatch(/Choose an event file/);
	});

	it('refuses another format', async () => {
		expect(await refused(JSON.stringify({ ...good, format: 'commonspace-event/2' }))).toMatch(
			/not a Commonspace event export/
		);
		expect(await refused('[1, 2]')).toMatch(/not a Commonspace event export/);
	});

	it('refuses a missing section', async () => {
		const doc = copy();
		delete (doc as Record<string, unknown>).rounds;
		expect(await refused(JSON.stringify(doc))).toMatch(/rounds/);
	});

	it('refuses unknown keys, and keys that reach a prototype', async () => {
		const doc = copy();
		(doc.rooms as unknown) = [];
		(doc as Record<string, unknown>).extra = 1;
		expect(await refused(JSON.stringify(doc))).toMatch(/extra/);
		const text = JSON.stringify(good).replace(
			'"days":[{',
			'"days":[{"__proto__":{"isAdmin":true},'
		);
		expect(await refused(text)).toMatch(/__proto__/);
		const ctor = JSON.stringify(good).replace('"event":{', '"event":{"constructor":{},');
		expect(await refused(ctor)).toMatch(/constructor/);
		const extraColumn = copy();
		extraColumn.days[0].passwordHash = 'x';
		expect(await refused(JSON.stringify(extraColumn))).toMatch(/passwordHash/);
	});

	it('refuses a dangling reference', async () => {
		const doc = copy();
		doc.team[0].userId = 999;
		expect(await refused(JSON.stringify(doc))).toMatch(/team\[0\]\.userId.*people/);
	});

	it('refuses a reference to a row of another section', async () => {
		const doc = copy();
		doc.rooms = [{ id: 7, name: 'Hall', capacity: 10, accessibility: '' }];
		doc.blocks = [
			{
				id: 1,
				dayId: 7,
				kind: 'plenary',
				title: 'Opening',
				startsAt: '2027-06-24T08:00:00.000Z',
				endsAt: '2027-06-24T09:00:00.000Z',
				roomId: 7
			}
		];
		expect(await refused(JSON.stringify(doc))).toMatch(/blocks\[0\]\.dayId.*days/);
	});

	it('refuses a duplicate ref', async () => {
		const doc = copy();
		doc.days[1].id = doc.days[0].id;
		expect(await refused(JSON.stringify(doc))).toMatch(/days\[1\]\.id.*twice/);
		const people = copy();
		people.people.push({ ...people.people[0], ref: 99 });
		expect(await refused(JSON.stringify(people))).toMatch(/people\[\d+\].*twice/);
	});

	it('refuses a value outside its enumeration, range or length', async () => {
		const status = copy();
		status.event.status = 'deleted';
		expect(await refused(JSON.stringify(status))).toMatch(/event\.status/);
		const capacity = copy();
		capacity.ticketTypes[0].quota = -5;
		expect(await refused(JSON.stringify(capacity))).toMatch(/ticketTypes\.0\.quota/);
		const long = copy();
		long.event.name = 'x'.repeat(1_000_000);
		expect(await refused(JSON.stringify(long))).toMatch(/event\.name/);
		const when = copy();
		when.event.createdAt = 'yesterday';
		expect(await refused(JSON.stringify(when))).toMatch(/event\.createdAt/);
	});

	it('refuses a file over the size limit before reading it', async () => {
		const huge = '{"format":"commonspace-event/1","pad":"' + 'x'.repeat(30 * 1024 * 1024) + '"}';
		expect(await refused(huge)).toMatch(/larger than 20 MB/);
		expect(await refused(new Blob([huge]))).toMatch(/larger than 20 MB/);
	});

	it('rolls everything back when the database refuses a row half-way', async () => {
		// Two rows for one date pass the file checks; the database's unique rule stops the write
		// after the event and its people were inserted, and nothing of it stays.
		const doc = copy();
		doc.days[1].date = doc.days[0].date;
		expect(await refused(JSON.stringify(doc))).toMatch(/days_event_date_key/);
	});

	it('refuses a slug that is not a web address, for the slug field', async () => {
		const e = await domainError(() =>
			importEvent(organiser, JSON.stringify(good), { slug: 'Not A Slug!' })
		);
		expect(e.fields.slug).toBe(m.error_slug());
		expect(await rowCounts()).toEqual(counts);
	});
});
