import * as v from 'valibot';
import { m } from '$lib/paraglide/messages';
import { locales } from '$lib/paraglide/runtime';
import { email, plainText } from './fields';

// Deleting an account: the person types their e-mail address; the box, when ticked, also
// removes what they wrote in harvest notes.
export const deleteAccountSchema = v.object({
	confirm: v.pipe(
		v.string(() => m.error_required()),
		v.trim(),
		v.nonEmpty(() => m.error_required()),
		v.maxLength(254, () => m.error_too_long({ max: 254 }))
	),
	removeHarvest: v.pipe(
		v.optional(v.string(), ''),
		v.transform((s) => s !== '')
	)
});

/** The account's own name and the language its pages and mail come in. */
export const profileSchema = v.object({
	name: plainText(100),
	locale: v.picklist(locales, () => m.error_required())
});
export type ProfileInput = v.InferOutput<typeof profileSchema>;

/** A new e-mail address, confirmed by a link sent to it. */
export const emailChangeSchema = v.object({ email });
