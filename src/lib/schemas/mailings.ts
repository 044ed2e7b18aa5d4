import * as v from 'valibot';
import { m } from '$lib/paraglide/messages';
import { locales, type Locale } from '$lib/paraglide/runtime';
import { optionalText } from './fields';

// A message to a segment of the event's people, written in one or more of the languages the
// site speaks: each language has its own subject and body (Markdown) fields, `subject_<locale>`
// and `body_<locale>`. A language is written when either field has text; then both must.

export interface MailingVersion {
	subject: string;
	body: string;
}

export type MailingVersions = Partial<Record<Locale, MailingVersion>>;

const subjectField = v.pipe(
	optionalText(150),
	v.check(
		(s) => !/[\r\n]/.test(s),
		() => m.mailing_subject_one_line()
	)
);
const fields = Object.fromEntries(
	locales.flatMap((l) => [
		[`subject_${l}`, subjectField],
		[`body_${l}`, optionalText(20000)]
	])
) as Record<`subject_${Locale}` | `body_${Locale}`, typeof subjectField>;

export const mailingSchema = v.pipe(
	v.object({
		segment: v.pipe(
			v.string(() => m.mailing_segment_unknown()),
			v.regex(/^(tickets|waiting|presenters|conveners|type-\d{1,9})$/, () =>
				m.mailing_segment_unknown()
			)
		),
		...fields
	}),
	v.rawCheck(({ dataset, addIssue }) => {
		if (!dataset.typed) return;
		const input = dataset.value as Record<string, string>;
		const written = locales.filter((l) => input[`subject_${l}`] || input[`body_${l}`]);
		if (!written.length) {
			addIssue({
				message: m.mailing_no_language(),
				path: [pathItem(input, `subject_${locales[0]}`)]
			});
		}
		for (const l of written) {
			for (const key of [`subject_${l}`, `body_${l}`]) {
				if (!input[key]) addIssue({ message: m.error_required(), path: [pathItem(input, key)] });
			}
		}
	}),
	v.transform((x) => {
		const input = x as unknown as Record<string, string>;
		const versions: MailingVersions = {};
		for (const l of locales) {
			if (input[`subject_${l}`]) {
				versions[l] = { subject: input[`subject_${l}`], body: input[`body_${l}`] };
			}
		}
		return { segment: x.segment, versions };
	})
);

/** Where an issue sits, so the form shows it next to that field. */
function pathItem(input: Record<string, string>, key: string): v.ObjectPathItem {
	return { type: 'object', origin: 'value', input, key, value: input[key] };
}

export type MailingInput = v.InferOutput<typeof mailingSchema>;
