import * as v from 'valibot';
import { describe, expect, it } from 'vitest';
import { blockEditSchema, blockSchema, eventSchema, roomSchema } from './events';
import { parseForm } from './form';

const good = {
	name: 'OPEN 2027',
	slug: 'open-2027',
	description: 'Two days of **open space**.',
	venue: 'Senate House',
	address: 'Malet Street',
	timeZone: 'Europe/London',
	startDate: '2027-06-24',
	endDate: '2027-06-25',
	capacity: '150'
};

function form(values: Record<string, string>): FormData {
	const data = new FormData();
	for (const [k, val] of Object.entries(values)) data.set(k, val);
	return data;
}

function errorsFor(values: Record<string, string>) {
	const parsed = parseForm(eventSchema, form(values));
	if (parsed.success) return {};
	// What was typed always comes back to refill the form.
	expect(parsed.values).toEqual(values);
	return parsed.errors;
}

describe('event form', () => {
	it('accepts a good event and converts the cap to a number', () => {
		const parsed = parseForm(eventSchema, form(good));
		expect(parsed.success && parsed.data.capacity).toBe(150);
	});

	it.each([
		['name', '', 'Please fill this in.'],
		['name', '   ', 'Please fill this in.'],
		['name', 'x'.repeat(121), '120 characters'],
		['name', '<b>Bold</b>', 'plain text'],
		['slug', 'Open 2027!', 'lower-case'],
		['slug', 'ab', 'at least 3'],
		['slug', 'a--b', 'lower-case'],
		['timeZone', 'Mars/Olympus', 'Unknown time zone'],
		['timeZone', '', 'Please fill this in.'],
		['startDate', '2027-02-30', 'YYYY-MM-DD'],
		['startDate', 'tomorrow', 'YYYY-MM-DD'],
		['capacity', '0', '1 or more'],
		['capacity', '12.5', 'whole number'],
		['capacity', 'lots', 'whole number'],
		['description', 'x'.repeat(5001), '5000 characters'],
		['venue', '<script>alert(1)</script>', 'plain text']
	])('%s = %j is refused next to the field', (field, value, message) => {
		const errors = errorsFor({ ...good, [field]: value });
		expect(errors[field]).toContain(message);
	});

	it('refuses a last day before the first, next to the last day', () => {
		const errors = errorsFor({ ...good, startDate: '2027-06-25', endDate: '2027-06-24' });
		expect(errors.endDate).toContain('cannot be before');
	});

	it('refuses an event longer than two weeks', () => {
		const errors = errorsFor({ ...good, endDate: '2027-07-24' });
		expect(errors.endDate).toContain('at most 14 days');
	});

	it('reports every bad field at once', () => {
		const errors = errorsFor({ ...good, name: '', timeZone: 'Nowhere', capacity: '-1' });
		expect(Object.keys(errors).sort()).toEqual(['capacity', 'name', 'timeZone']);
	});
});

describe('block and room forms', () => {
	it('a block must end after it starts, with times as HH:MM', () => {
		const base = {
			dayId: '1',
			kind: 'plenary',
			title: 'Opening',
			start: '09:00',
			end: '09:30',
			roomId: ''
		};
		expect(v.safeParse(blockSchema, base).success).toBe(true);
		const back = parseForm(blockSchema, form({ ...base, end: '08:00' }));
		expect(!back.success && back.errors.end).toContain('end after');
		const bad = parseForm(blockSchema, form({ ...base, start: '25:00', kind: 'party' }));
		expect(!bad.success && Object.keys(bad.errors).sort()).toEqual(['kind', 'start']);

		// Editing a listed block sends its id too; the block's own check still applies.
		const edit = parseForm(blockEditSchema, form({ ...base, id: '7' }));
		expect(edit.success && edit.data).toEqual({ ...base, id: 7, dayId: 1, roomId: null });
		const late = parseForm(blockEditSchema, form({ ...base, id: 'x', end: '08:00' }));
		expect(!late.success && Object.keys(late.errors).sort()).toEqual(['end', 'id']);
	});

	it('a room needs a name and a positive whole number of seats', () => {
		const parsed = parseForm(roomSchema, form({ name: '', capacity: '-3', accessibility: '' }));
		expect(!parsed.success && Object.keys(parsed.errors).sort()).toEqual(['capacity', 'name']);
	});
});
