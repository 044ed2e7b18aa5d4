import * as v from 'valibot';
import { eventSchema } from './events';

// The import form: the file travels apart (parseForm keeps text fields only); the slug is optional.
export const importSchema = v.object({
	slug: v.optional(v.union([v.literal(''), eventSchema.pipe[0].entries.slug]), '')
});
