import * as v from 'valibot';
import { m } from '$lib/paraglide/messages';

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
