import * as v from 'valibot';
import { EVENT_ROLES } from '$lib/constants';
import { m } from '$lib/paraglide/messages';
import { email } from './fields';

const role = v.picklist(EVENT_ROLES, () => m.error_required());

export const inviteSchema = v.object({ email, role });

export const memberSchema = v.object({
	userId: v.pipe(
		v.string(() => m.error_required()),
		v.regex(/^\d{1,9}$/, () => m.error_required()),
		v.transform(Number)
	),
	role
});

/** A claim link for an imported participant, mailed to the address typed. */
export const claimSchema = v.object({
	placeholderId: memberSchema.entries.userId,
	email
});
