import * as v from 'valibot';
import { m } from '$lib/paraglide/messages';
import { isRealDate } from '$lib/time';

// Building blocks shared by the form schemas; messages are looked up when a form is checked,
// so they come out in the language of the request.

// eslint-disable-next-line no-control-regex -- matching control characters is the point
const CONTROL = /[\u0000-\u001f\u007f]/;
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const CONTROL_BUT_LINES = /[\u0000-\u0008\u000b-\u001f\u007f]/;

/** Line breaks as browsers send them (CRLF) or old systems wrote them (CR) become plain LF. */
export function normaliseLineBreaks(s: string): string {
	return s.replace(/\r\n?/g, '\n');
}

/** Whether text holds a control character: a one-line field allows none, a longer text line breaks and tabs. */
export function hasControlCharacters(s: string, multiLine: boolean): boolean {
	return (multiLine ? CONTROL_BUT_LINES : CONTROL).test(s);
}

const noControls = (multiLine: boolean) =>
	v.check(
		(s: string) => !hasControlCharacters(s, multiLine),
		() => m.error_control_characters()
	);

export const text = (max: number) =>
	v.pipe(
		v.string(() => m.error_required()),
		v.transform(normaliseLineBreaks),
		v.trim(),
		v.nonEmpty(() => m.error_required()),
		v.maxLength(max, () => m.error_too_long({ max })),
		noControls(true)
	);

export const optionalText = (max: number) =>
	v.optional(
		v.pipe(
			v.string(),
			v.transform(normaliseLineBreaks),
			v.trim(),
			v.maxLength(max, () => m.error_too_long({ max })),
			noControls(true)
		),
		''
	);

/** Plain text on one line that must not smuggle markup into places that are not Markdown. */
export const plainText = (max: number) =>
	v.pipe(
		text(max),
		noControls(false),
		v.check(
			(s) => !/[<>]/.test(s),
			() => m.error_no_markup()
		)
	);

export const email = v.pipe(
	v.string(() => m.error_required()),
	v.trim(),
	v.toLowerCase(),
	v.nonEmpty(() => m.error_required()),
	v.maxLength(254, () => m.error_too_long({ max: 254 })),
	v.email(() => m.error_email())
);

export const password = v.pipe(
	v.string(() => m.error_required()),
	v.nonEmpty(() => m.error_required()),
	v.minLength(10, () => m.error_password_short({ min: 10 })),
	v.maxLength(256, () => m.error_too_long({ max: 256 }))
);

export const integer = (min: number, max: number) =>
	v.pipe(
		v.string(() => m.error_required()),
		v.trim(),
		v.nonEmpty(() => m.error_required()),
		v.regex(/^-?\d+$/, () => m.error_whole_number()),
		v.transform(Number),
		v.minValue(min, () => m.error_min({ min })),
		v.maxValue(max, () => m.error_max({ max }))
	);

export const isoDate = v.pipe(
	v.string(() => m.error_required()),
	v.trim(),
	v.nonEmpty(() => m.error_required()),
	v.isoDate(() => m.error_date()),
	v.check(isRealDate, () => m.error_date())
);

export const clockTime = v.pipe(
	v.string(() => m.error_required()),
	v.trim(),
	v.nonEmpty(() => m.error_required()),
	v.regex(/^([01]\d|2[0-3]):[0-5]\d$/, () => m.error_time())
);

export const id = v.pipe(
	v.string(() => m.error_required()),
	v.regex(/^\d{1,9}$/, () => m.error_required()),
	v.transform(Number)
);

export const optionalId = v.pipe(
	v.optional(v.string(), ''),
	v.transform((s) => (s === '' ? null : s)),
	v.nullable(v.pipe(v.string(), v.regex(/^\d{1,9}$/), v.transform(Number)))
);
