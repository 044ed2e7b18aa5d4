import * as v from 'valibot';
import { m } from '$lib/paraglide/messages';
import { optionalText } from './fields';

// The attendee directory entry: what a person chooses to tell the other attendees. All plain
// text, all optional: opting in with just a name is a fine entry.

export const DIRECTORY_LIMITS = { organisation: 200, offers: 1000, seeks: 1000, contact: 200 };

const plain = (max: number) =>
	v.pipe(
		optionalText(max),
		v.regex(/^[^<>]*$/, () => m.error_no_markup())
	);

export const directorySchema = v.object({
	organisation: plain(DIRECTORY_LIMITS.organisation),
	offers: plain(DIRECTORY_LIMITS.offers),
	seeks: plain(DIRECTORY_LIMITS.seeks),
	contact: plain(DIRECTORY_LIMITS.contact)
});

export type DirectoryInput = v.InferOutput<typeof directorySchema>;

/** The search box: free text, cut to a sensible length rather than refused. */
export const directoryQuery = (raw: string | null) => (raw ?? '').trim().slice(0, 100);
