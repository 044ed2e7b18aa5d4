import * as v from 'valibot';
import { m } from '$lib/paraglide/messages';
import { text } from './fields';

/** A message to a segment of the event's people; the body is Markdown. */
export const mailingSchema = v.object({
	segment: v.pipe(
		v.string(() => m.mailing_segment_unknown()),
		v.regex(/^(tickets|waiting|presenters|conveners|type-\d{1,9})$/, () =>
			m.mailing_segment_unknown()
		)
	),
	subject: v.pipe(
		text(150),
		v.check(
			(s) => !/[\r\n]/.test(s),
			() => m.mailing_subject_one_line()
		)
	),
	body: text(20000)
});

export type MailingInput = v.InferOutput<typeof mailingSchema>;
