import * as v from 'valibot';
import { PRICINGS, REFUND_POLICIES } from '$lib/constants';
import { m } from '$lib/paraglide/messages';
import { email, id, integer, optionalText, plainText, text } from './fields';

/** The most tickets an organiser may let one person hold (a family or a group ticket). */
export const PER_PERSON_MAX = 20;

export const CURRENCIES = ['EUR', 'GBP', 'USD', 'CHF', 'SEK', 'NOK', 'DKK', 'CAD', 'AUD'] as const;

/** "12", "12.5" or "12,50" in the currency's major unit, as minor units (cents). */
export const money = v.pipe(
	v.optional(v.string(), ''),
	v.trim(),
	v.check(
		(s) => s === '' || /^\d{1,6}([.,]\d{1,2})?$/.test(s),
		() => m.error_money()
	),
	v.transform((s) => (s === '' ? 0 : Math.round(Number(s.replace(',', '.')) * 100)))
);

const optionalInt = (min: number, max: number) =>
	v.pipe(
		v.optional(v.string(), ''),
		v.trim(),
		v.check(
			(s) => s === '' || /^\d+$/.test(s),
			() => m.error_whole_number()
		),
		v.transform((s) => (s === '' ? null : Number(s))),
		v.check(
			(n) => n === null || (n >= min && n <= max),
			() => m.error_range({ min, max })
		)
	);

/** A date and time typed in the event's time zone (an HTML datetime-local value), or nothing. */
const localDateTime = v.pipe(
	v.optional(v.string(), ''),
	v.trim(),
	v.check(
		(s) => s === '' || /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/.test(s),
		() => m.error_datetime()
	)
);

const accessCode = v.pipe(
	v.optional(v.string(), ''),
	v.trim(),
	v.check(
		(s) => s === '' || /^[A-Za-z0-9-]{4,40}$/.test(s),
		() => m.error_access_code()
	)
);

export const ticketTypeSchema = v.pipe(
	v.object({
		name: plainText(80),
		description: v.pipe(
			optionalText(1000),
			v.check(
				(s) => !/[<>]/.test(s),
				() => m.error_no_markup()
			)
		),
		pricing: v.picklist(PRICINGS, () => m.error_required()),
		price: money,
		minPrice: money,
		suggestedPrice: money,
		maxPrice: money,
		quota: optionalInt(1, 100_000),
		salesStart: localDateTime,
		salesEnd: localDateTime,
		accessCode,
		// Tickets one person may hold for the event with this type; empty means the default, one.
		perPerson: v.pipe(
			v.optional(v.string(), ''),
			v.trim(),
			v.check(
				(s) => s === '' || /^\d+$/.test(s),
				() => m.error_whole_number()
			),
			v.transform((s) => (s === '' ? 1 : Number(s))),
			v.check(
				(n) => n >= 1 && n <= PER_PERSON_MAX,
				() => m.error_range({ min: 1, max: PER_PERSON_MAX })
			)
		)
	}),
	v.forward(
		v.partialCheck(
			[['pricing'], ['price']],
			(t) => t.pricing !== 'fixed' || t.price > 0,
			() => m.error_price_needed()
		),
		['price']
	),
	v.forward(
		v.partialCheck(
			[['pricing'], ['maxPrice'], ['minPrice']],
			(t) => t.pricing !== 'pay_what_you_can' || t.maxPrice > 0,
			() => m.error_price_needed()
		),
		['maxPrice']
	),
	// A maximum below the minimum is the maximum's fault (or the minimum's), not the suggestion's.
	v.forward(
		v.partialCheck(
			[['pricing'], ['minPrice'], ['maxPrice']],
			(t) => t.pricing !== 'pay_what_you_can' || t.maxPrice <= 0 || t.minPrice <= t.maxPrice,
			() => m.error_price_max_below_min()
		),
		['maxPrice']
	),
	v.forward(
		v.partialCheck(
			[['pricing'], ['minPrice'], ['suggestedPrice'], ['maxPrice']],
			(t) =>
				t.pricing !== 'pay_what_you_can' ||
				t.minPrice > t.maxPrice ||
				(t.minPrice <= t.suggestedPrice && t.suggestedPrice <= t.maxPrice),
			() => m.error_price_range()
		),
		['suggestedPrice']
	),
	v.forward(
		v.partialCheck(
			[['salesStart'], ['salesEnd']],
			(t) => !t.salesStart || !t.salesEnd || t.salesEnd > t.salesStart,
			() => m.error_sales_window()
		),
		['salesEnd']
	)
);
export type TicketTypeInput = v.InferOutput<typeof ticketTypeSchema>;

export const ticketingSchema = v.object({
	currency: v.picklist(CURRENCIES, () => m.error_required()),
	cancelUntil: localDateTime,
	refundPolicy: v.picklist(REFUND_POLICIES, () => m.error_required()),
	offerHours: integer(1, 168)
});
export type TicketingInput = v.InferOutput<typeof ticketingSchema>;

/** The name shown on the badge and to other attendees; empty shows the account name. */
const publicName = v.pipe(
	optionalText(100),
	v.check(
		(s) => !/[<>]/.test(s),
		() => m.error_no_markup()
	)
);

export const shownNameSchema = v.object({ publicName });

export const orderSchema = v.object({
	ticketTypeId: v.pipe(
		v.string(() => m.error_required()),
		v.regex(/^\d{1,9}$/, () => m.error_required()),
		v.transform(Number)
	),
	attendeeName: plainText(100),
	attendeeEmail: email,
	publicName,
	dietary: v.pipe(
		optionalText(500),
		v.check(
			(s) => !/[<>]/.test(s),
			() => m.error_no_markup()
		)
	),
	access: v.pipe(
		optionalText(500),
		v.check(
			(s) => !/[<>]/.test(s),
			() => m.error_no_markup()
		)
	),
	amount: money,
	accessCode,
	offer: v.optional(v.string(), '')
});
export type OrderInput = v.InferOutput<typeof orderSchema>;

export const waitingSchema = v.object({
	ticketTypeId: v.pipe(
		v.string(() => m.error_required()),
		v.regex(/^\d{1,9}$/, () => m.error_required()),
		v.transform(Number)
	),
	name: plainText(100),
	email,
	// A hidden ticket type's waiting list needs its code too.
	accessCode: v.pipe(v.optional(v.string(), ''), v.trim(), v.maxLength(40))
});

export const checkInSchema = v.object({
	code: v.pipe(
		v.string(() => m.error_required()),
		v.trim(),
		v.nonEmpty(() => m.error_required()),
		v.maxLength(500, () => m.error_too_long({ max: 500 }))
	),
	// The door's name as its phone chose it; optional, so a door that has none still works.
	door: v.optional(
		v.pipe(
			v.string(),
			v.trim(),
			v.maxLength(60, () => m.error_too_long({ max: 60 }))
		),
		''
	),
	device: v.optional(v.pipe(v.string(), v.maxLength(100)), '')
});

/** A door phone's offline admissions, sent as JSON when the connection returns. */
export const doorSyncSchema = v.object({
	keyId: v.pipe(v.number(), v.integer()),
	scans: v.pipe(
		v.array(
			v.object({
				id: v.pipe(v.string(), v.nonEmpty(), v.maxLength(100)),
				h: v.pipe(v.string(), v.regex(/^[0-9a-f]{64}$/)),
				door: v.optional(v.nullable(v.pipe(v.string(), v.maxLength(60)))),
				device: v.optional(v.nullable(v.pipe(v.string(), v.maxLength(100)))),
				at: v.pipe(
					v.string(),
					v.isoTimestamp(),
					v.transform((s) => new Date(s))
				)
			})
		),
		v.maxLength(1000)
	)
});

// The name only labels the "undone" message; the ticket is found by id within the event.
export const undoCheckInSchema = v.object({
	id,
	name: v.optional(v.string(), '')
});

/** The message sent to everyone still waiting when the waiting list closes. */
export const closeWaitingListSchema = v.object({ message: text(2000) });
