import { m } from '$lib/paraglide/messages';
import { getLocale } from '$lib/paraglide/runtime';
import { instantToZoned } from '$lib/time';

// Amounts are stored in minor units (cents); forms take them as "12.50".

export function formatMoney(cents: number, currency: string): string {
	return new Intl.NumberFormat(getLocale(), { style: 'currency', currency }).format(cents / 100);
}

/** An amount as a form shows it, e.g. 1250 → "12.50". */
export const moneyInput = (cents: number) => (cents / 100).toFixed(2);

/** An instant as a `datetime-local` value in the event's zone, or '' for none. */
export function localInput(instant: Date | null, timeZone: string): string {
	if (!instant) return '';
	const { date, time } = instantToZoned(instant, timeZone);
	return `${date}T${time}`;
}

/** What a ticket type costs, in words: "€12.00", "€5.00 to €60.00 (suggested €25.00)", "Free". */
export function priceText(
	type: {
		pricing: string;
		priceCents: number;
		minCents: number;
		suggestedCents: number;
		maxCents: number;
	},
	currency: string
): string {
	if (type.pricing === 'free') return m.pricing_free();
	if (type.pricing === 'fixed') return formatMoney(type.priceCents, currency);
	return m.price_range({
		min: formatMoney(type.minCents, currency),
		max: formatMoney(type.maxCents, currency),
		suggested: formatMoney(type.suggestedCents, currency)
	});
}

interface StoredType {
	name: string;
	description: string;
	pricing: string;
	priceCents: number;
	minCents: number;
	suggestedCents: number;
	maxCents: number;
	quota: number | null;
	salesStart: Date | null;
	salesEnd: Date | null;
	accessCode: string | null;
	perPerson: number;
}

/** A stored ticket type as its edit form shows it. */
export function ticketTypeValues(type: StoredType, timeZone: string): Record<string, string> {
	const fixed = type.pricing === 'fixed';
	const pwyc = type.pricing === 'pay_what_you_can';
	return {
		name: type.name,
		description: type.description,
		pricing: type.pricing,
		price: fixed ? moneyInput(type.priceCents) : '',
		minPrice: pwyc ? moneyInput(type.minCents) : '',
		suggestedPrice: pwyc ? moneyInput(type.suggestedCents) : '',
		maxPrice: pwyc ? moneyInput(type.maxCents) : '',
		quota: type.quota === null ? '' : String(type.quota),
		salesStart: localInput(type.salesStart, timeZone),
		salesEnd: localInput(type.salesEnd, timeZone),
		accessCode: type.accessCode ?? '',
		perPerson: String(type.perPerson)
	};
}
