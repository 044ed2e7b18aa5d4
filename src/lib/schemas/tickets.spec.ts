import { describe, expect, it } from 'vitest';
import { parseForm } from './form';
import { ticketTypeSchema } from './tickets';

function errorsFor(values: Record<string, string>) {
	const data = new FormData();
	for (const [k, val] of Object.entries(values)) data.set(k, val);
	const parsed = parseForm(ticketTypeSchema, data);
	return parsed.success ? {} : parsed.errors;
}

const pwyc = (min: string, suggested: string, max: string) => ({
	name: 'Solidarity',
	pricing: 'pay_what_you_can',
	minPrice: min,
	suggestedPrice: suggested,
	maxPrice: max
});

describe('pay what you can', () => {
	it('flags the maximum when it is below the minimum, not the suggestion', () => {
		const errors = errorsFor(pwyc('50', '30', '20'));
		expect(errors.maxPrice).toBe('The maximum must be at least the minimum.');
		expect(errors.suggestedPrice).toBeUndefined();
	});

	it('flags the suggestion outside a sound range, and accepts a sound one', () => {
		expect(errorsFor(pwyc('10', '70', '60')).suggestedPrice).toBe(
			'The suggested amount must lie between the minimum and the maximum.'
		);
		expect(errorsFor(pwyc('10', '25', '60'))).toEqual({});
	});
});
