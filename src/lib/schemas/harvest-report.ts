import * as v from 'valibot';
import { REPORT_LICENCES } from '$lib/constants';
import { m } from '$lib/paraglide/messages';
import { id } from './fields';

// The organiser's review forms: one harvest at a time, and the report's licence.

export const reviewSchema = v.object({
	harvestId: id,
	// 'on' marks complete (or hides); 'off' reopens (or shows again).
	to: v.picklist(['on', 'off'] as const, () => m.error_required())
});

export const licenceSchema = v.object({
	licence: v.picklist(REPORT_LICENCES, () => m.hr_error_licence())
});
