import * as v from 'valibot';
import { HARVEST_ITEM_KINDS } from '$lib/constants';
import { hasUnsafeMarkup } from '$lib/markdown';
import { m } from '$lib/paraglide/messages';
import { id, isoDate, optionalText, text } from './fields';

// The forms of a harvest note. Each single-text part and each list item is its own form, so a
// note-taker saving one part never sends (or overwrites) another.

/** Only web links: a javascript: or data: link in a shared note would run in readers' browsers. */
export function isWebUrl(value: string): boolean {
	try {
		const url = new URL(value);
		return (url.protocol === 'http:' || url.protocol === 'https:') && url.hostname !== '';
	} catch {
		return false;
	}
}

const markdown = (max: number, required: boolean) =>
	v.pipe(
		required ? text(max) : optionalText(max),
		v.check(
			(s) => !hasUnsafeMarkup(s),
			() => m.error_unsafe_markup()
		)
	);

const optionalPlain = (max: number) =>
	v.pipe(
		optionalText(max),
		v.check(
			(s) => !/[<>]/.test(s),
			() => m.error_no_markup()
		)
	);

// Versions of a single-text part start at 0 (never saved yet).
const version = v.pipe(
	v.string(() => m.error_required()),
	v.regex(/^\d{1,9}$/, () => m.error_required()),
	v.transform(Number)
);

// A single-text part comes out in the shape the domain saves: which part, its value, and the
// version the note-taker started from.
export const harvestFieldSchema = v.variant(
	'field',
	[
		v.pipe(
			v.object({ field: v.literal('question'), question: optionalPlain(500), version }),
			v.transform(({ field, question, version }) => ({ field, value: question, version }))
		),
		v.pipe(
			v.object({ field: v.literal('notes'), notes: markdown(20000, false), version }),
			v.transform(({ field, notes, version }) => ({ field, value: notes, version }))
		),
		v.pipe(
			v.object({
				field: v.literal('participants'),
				participants: v.pipe(
					v.optional(v.string(), ''),
					v.trim(),
					v.check(
						(s) => s === '' || /^\d{1,4}$/.test(s),
						() => m.error_range({ min: 0, max: 9999 })
					),
					v.transform((s) => (s === '' ? null : Number(s)))
				),
				version
			}),
			v.transform(({ field, participants, version }) => ({ field, value: participants, version }))
		)
	],
	() => m.error_required()
);

export type HarvestFieldInput = v.InferOutput<typeof harvestFieldSchema>;

const optionalDate = v.pipe(
	v.optional(v.string(), ''),
	v.trim(),
	v.transform((s) => (s === '' ? null : s)),
	v.nullable(isoDate)
);

const url = v.pipe(
	v.string(() => m.error_required()),
	v.trim(),
	v.nonEmpty(() => m.error_required()),
	v.maxLength(2000, () => m.error_too_long({ max: 2000 })),
	v.check(isWebUrl, () => m.hv_error_url())
);

// Every kind comes out in one shape, the columns of a list item.
export const itemSchema = v.variant(
	'kind',
	[
		v.pipe(
			v.object({ kind: v.picklist(['insight', 'question'] as const), text: markdown(2000, true) }),
			v.transform((x) => ({ ...x, owner: null, dueOn: null, url: null }))
		),
		v.pipe(
			v.object({
				kind: v.literal('action'),
				text: markdown(2000, true),
				owner: optionalPlain(120),
				dueOn: optionalDate
			}),
			v.transform((x) => ({ ...x, owner: x.owner || null, url: null }))
		),
		v.pipe(
			v.object({ kind: v.literal('resource'), url, text: optionalPlain(200) }),
			v.transform((x) => ({ ...x, owner: null, dueOn: null }))
		)
	],
	() => m.error_required()
);

export type HarvestItemInput = v.InferOutput<typeof itemSchema>;

// An edit is the item's fields plus which item, and the version the note-taker started from.
export const editItemRef = v.object({ itemId: id, version: id });

export const editItemSchema = v.intersect([editItemRef, itemSchema]);

// Which list the item was on only names the form that answers; an unknown kind is an insight.
export const removeItemSchema = v.object({
	itemId: id,
	kind: v.fallback(v.picklist(HARVEST_ITEM_KINDS), 'insight')
});

export const continueSchema = v.object({ contact: optionalPlain(200) });

export const noteTakerSchema = v.object({ userId: id });
