import * as v from 'valibot';
import { hasUnsafeMarkup } from '$lib/markdown';
import { m } from '$lib/paraglide/messages';
import { hasControlCharacters, normaliseLineBreaks } from '$lib/schemas/fields';

// Text in an imported file passes the checks of typed text: line breaks arrive as LF, no
// control characters, no HTML or links the Markdown renderer would strip, and names and titles
// on one line without markup, as their forms require.

/** Column names that are one-line plain text in every form that writes them. */
const ONE_LINE = new Set(['name', 'title', 'attendeeName', 'owner', 'presenters', 'publicName']);

// Only text with these characters can hold HTML, a link or an entity worth rendering to check.
const MAY_HOLD_MARKUP = /[<[&]/;

function acceptable(s: string, oneLine: boolean): boolean {
	if (hasControlCharacters(s, !oneLine)) return false;
	if (oneLine) return !/[<>]/.test(s);
	return !MAY_HOLD_MARKUP.test(s) || !hasUnsafeMarkup(s);
}

/** A text of at most `max` characters; `key` (the column's name) tells whether it is one line. */
export const importedText = (max: number, key = '') =>
	v.pipe(
		v.string(),
		v.maxLength(max),
		v.transform(normaliseLineBreaks),
		v.check(
			(s) => acceptable(s, ONE_LINE.has(key)),
			() => m.tr_error_text()
		)
	);
