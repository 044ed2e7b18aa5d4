import * as v from 'valibot';
import { m } from '$lib/paraglide/messages';
import { hasUnsafeMarkup } from '$lib/markdown';
import { isTimeZone } from '$lib/time';
import { BLOCK_KINDS, EVENT_STATUSES } from '$lib/constants';
import { SLUG_PATTERN } from './slug';
import { clockTime, integer, isoDate, optionalId, optionalText, plainText } from './fields';

export const MAX_EVENT_DAYS = 14;

const slug = v.pipe(
	v.string(() => m.error_required()),
	v.trim(),
	v.toLowerCase(),
	v.nonEmpty(() => m.error_required()),
	v.minLength(3, () => m.error_too_short({ min: 3 })),
	v.maxLength(60, () => m.error_too_long({ max: 60 })),
	v.regex(SLUG_PATTERN, () => m.error_slug())
);

const timeZone = v.pipe(
	v.string(() => m.error_required()),
	v.trim(),
	v.nonEmpty(() => m.error_required()),
	v.check(isTimeZone, () => m.error_time_zone())
);

export const eventSchema = v.pipe(
	v.object({
		name: plainText(120),
		slug,
		description: v.pipe(
			optionalText(5000),
			v.check(
				(s) => !hasUnsafeMarkup(s),
				() => m.error_unsafe_markup()
			)
		),
		venue: v.pipe(
			optionalText(200),
			v.check(
				(s) => !/[<>]/.test(s),
				() => m.error_no_markup()
			)
		),
		address: v.pipe(
			optionalText(300),
			v.check(
				(s) => !/[<>]/.test(s),
				() => m.error_no_markup()
			)
		),
		timeZone,
		startDate: isoDate,
		endDate: isoDate,
		capacity: integer(1, 100_000)
	}),
	v.forward(
		v.partialCheck(
			[['startDate'], ['endDate']],
			(e) => e.endDate >= e.startDate,
			() => m.error_end_before_start()
		),
		['endDate']
	),
	v.forward(
		v.partialCheck(
			[['startDate'], ['endDate']],
			(e) => (Date.parse(e.endDate) - Date.parse(e.startDate)) / 86_400_000 < MAX_EVENT_DAYS,
			() => m.error_event_too_long({ max: MAX_EVENT_DAYS })
		),
		['endDate']
	)
);
export type EventInput = v.InferOutput<typeof eventSchema>;

export const statusSchema = v.object({
	status: v.picklist(EVENT_STATUSES, () => m.error_required())
});

export const blockSchema = v.pipe(
	v.object({
		dayId: v.pipe(
			v.string(() => m.error_required()),
			v.regex(/^\d{1,9}$/, () => m.error_required()),
			v.transform(Number)
		),
		kind: v.picklist(BLOCK_KINDS, () => m.error_required()),
		title: plainText(120),
		start: clockTime,
		end: clockTime,
		roomId: optionalId
	}),
	v.forward(
		v.partialCheck(
			[['start'], ['end']],
			(b) => b.end > b.start,
			() => m.error_block_end()
		),
		['end']
	)
);
export type BlockInput = v.InferOutput<typeof blockSchema>;

export const roomSchema = v.object({
	name: plainText(80),
	capacity: integer(1, 10_000),
	accessibility: v.pipe(
		optionalText(500),
		v.check(
			(s) => !/[<>]/.test(s),
			() => m.error_no_markup()
		)
	)
});
export type RoomInput = v.InferOutput<typeof roomSchema>;

export const dayTitleSchema = v.object({
	title: v.pipe(
		optionalText(80),
		v.check(
			(s) => !/[<>]/.test(s),
			() => m.error_no_markup()
		)
	)
});

export const idSchema = v.object({
	id: v.pipe(
		v.string(() => m.error_required()),
		v.regex(/^\d{1,9}$/, () => m.error_required()),
		v.transform(Number)
	)
});

// Forms that edit one of several listed things send its id beside its fields.
export const blockEditSchema = v.intersect([idSchema, blockSchema]);
export const roomEditSchema = v.intersect([idSchema, roomSchema]);
export const dayTitleEditSchema = v.intersect([idSchema, dayTitleSchema]);
