import * as v from 'valibot';
import { describe, expect, it } from 'vitest';
import { m } from '$lib/paraglide/messages';
import { eventSchema } from './events';
import { proposalSchema } from './marketplace';
import { parseForm } from './form';

function form(values: Record<string, string>): FormData {
	const data = new FormData();
	for (const [k, val] of Object.entries(values)) data.set(k, val);
	return data;
}

const event = {
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

describe('control characters in form fields', () => {
	it('refuses a carriage return inside a one-line field, next to the field, keeping what was typed', () => {
		const values = { ...event, name: 'Evil\rX-INJECT:1' };
		const parsed = parseForm(eventSchema, form(values));
		expect(parsed.success).toBe(false);
		if (parsed.success) return;
		expect(parsed.errors).toEqual({ name: m.error_control_characters() });
		expect(parsed.values).toEqual(values);
	});

	it('refuses other control characters in longer texts and names the field', () => {
		for (const bad of ['bell\u0007', 'nul\u0000x', 'escape\u001b[31m', 'del\u007f']) {
			const parsed = parseForm(eventSchema, form({ ...event, venue: `Hall ${bad} end` }));
			expect(!parsed.success && parsed.errors).toEqual({ venue: m.error_control_characters() });
		}
	});

	it('keeps line breaks in multi-line text, as LF whatever the browser sent', () => {
		const parsed = parseForm(
			eventSchema,
			form({ ...event, description: 'One\r\nTwo\rThree\n\tindented' })
		);
		expect(parsed.success && parsed.data.description).toBe('One\nTwo\nThree\n\tindented');
	});

	it('refuses a line break in a proposal title but not in its description', () => {
		const base = {
			title: 'A title',
			question: '',
			description: 'Line one\r\nline two',
			format: 'discussion'
		};
		expect(v.safeParse(proposalSchema, base).success).toBe(true);
		const parsed = parseForm(proposalSchema, form({ ...base, title: 'A\nB' }));
		expect(!parsed.success && parsed.errors).toEqual({ title: m.error_control_characters() });
	});
});
