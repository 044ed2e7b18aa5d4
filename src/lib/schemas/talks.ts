import * as v from 'valibot';
import { TALK_DECISIONS, TALK_TICKET_RULES } from '$lib/constants';
import { hasUnsafeMarkup } from '$lib/markdown';
import { m } from '$lib/paraglide/messages';
import { email, id, integer, optionalId, optionalText, plainText, text } from './fields';

export const MAX_QUESTIONS = 10;
export const ANSWER_MAX = 2000;

/** An HTML datetime-local value, read in the event's time zone. */
const localDateTime = v.pipe(
	v.string(() => m.error_required()),
	v.trim(),
	v.nonEmpty(() => m.error_required()),
	v.regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/, () => m.error_datetime())
);

const markdown = (max: number) =>
	v.pipe(
		optionalText(max),
		v.check(
			(s) => !hasUnsafeMarkup(s),
			() => m.error_unsafe_markup()
		)
	);

/** One question per line; blank lines are dropped. */
const questionLines = v.pipe(
	optionalText(MAX_QUESTIONS * 210),
	v.transform((s) =>
		s
			.split(/\r?\n/)
			.map((l) => l.trim())
			.filter(Boolean)
	),
	v.maxLength(MAX_QUESTIONS, () => m.error_too_many_questions({ max: MAX_QUESTIONS })),
	v.check(
		(lines) => lines.every((l) => l.length <= 200 && !/[<>]/.test(l)),
		() => m.error_question_line({ max: 200 })
	)
);

export const callSchema = v.pipe(
	v.object({
		opensAt: localDateTime,
		closesAt: localDateTime,
		talkMinutes: integer(1, 30),
		perDay: integer(1, 50),
		summaryMax: integer(100, 5000),
		ticketRule: v.picklist(TALK_TICKET_RULES, () => m.error_required()),
		questions: questionLines,
		acceptedTemplate: text(4000),
		reserveTemplate: text(4000),
		declinedTemplate: text(4000)
	}),
	v.forward(
		v.partialCheck(
			[['opensAt'], ['closesAt']],
			(c) => c.closesAt > c.opensAt,
			() => m.error_closes_before_opens()
		),
		['closesAt']
	)
);
export type CallInput = v.InferOutput<typeof callSchema>;

/** Every line a web address; shown on the public programme. */
const links = v.pipe(
	optionalText(1000),
	v.check(
		(s) =>
			s
				.split(/\r?\n/)
				.map((l) => l.trim())
				.filter(Boolean)
				.every((l) => /^https?:\/\/[^\s<>"]+$/i.test(l)),
		() => m.error_links()
	)
);

const talkFields = {
	title: plainText(120),
	// The organiser's own length limit is checked by the domain.
	summary: v.pipe(
		v.string(() => m.error_required()),
		v.trim(),
		v.nonEmpty(() => m.error_required()),
		v.maxLength(5000, () => m.error_too_long({ max: 5000 })),
		v.check(
			(s) => !hasUnsafeMarkup(s),
			() => m.error_unsafe_markup()
		)
	),
	presenters: plainText(200),
	links,
	preferredDayId: optionalId,
	accessNeeds: optionalText(1000)
};

export const talkSchema = v.object(talkFields);
export type TalkInput = v.InferOutput<typeof talkSchema>;

/** A draft keeps whatever has been typed so far, within the same limits. */
export const draftSchema = v.object({
	title: v.pipe(
		optionalText(120),
		v.check(
			(s) => !/[<>]/.test(s),
			() => m.error_no_markup()
		)
	),
	summary: markdown(5000),
	presenters: v.pipe(
		optionalText(200),
		v.check(
			(s) => !/[<>]/.test(s),
			() => m.error_no_markup()
		)
	),
	links: optionalText(1000),
	preferredDayId: optionalId,
	accessNeeds: optionalText(1000)
});
export type DraftInput = v.InferOutput<typeof draftSchema>;

/** The answers to the organiser's questions arrive as answer0, answer1, ... */
export function answersFrom(data: FormData, count: number): string[] {
	return Array.from({ length: count }, (_, i) => {
		const value = data.get(`answer${i}`);
		return typeof value === 'string' ? value.trim() : '';
	});
}

// The forms on "my talks": each names the talk it is about.
export const talkRef = v.object({ talkId: id });
export const invitePresenterSchema = v.object({ talkId: id, email });
export const presenterRef = v.object({ talkId: id, presenterId: id });

export const reviewSchema = v.object({
	score: v.pipe(
		v.optional(v.string(), ''),
		v.trim(),
		v.check(
			(s) => s === '' || /^[1-5]$/.test(s),
			() => m.error_score()
		),
		v.transform((s) => (s === '' ? null : Number(s)))
	),
	note: optionalText(4000)
});
export type ReviewInput = v.InferOutput<typeof reviewSchema>;

export const decisionSchema = v.object({
	talkId: id,
	decision: v.picklist([...TALK_DECISIONS, 'submitted'] as const, () => m.error_required())
});

/** Many talks ticked on the list, one decision for all of them. */
export const bulkDecisionSchema = v.object({
	talkId: v.pipe(
		v.optional(v.union([id, v.array(id)]), []),
		v.transform((x) => (Array.isArray(x) ? x : [x])),
		v.minLength(1, () => m.talksm_bulk_none())
	),
	decision: v.picklist(TALK_DECISIONS, () => m.error_required())
});

export const placeSchema = v.object({ talkId: id, blockId: optionalId });
export const moveSchema = v.object({
	talkId: id,
	direction: v.picklist(['up', 'down'] as const, () => m.error_required())
});
export const reorderSchema = v.object({
	blockId: id,
	talkIds: v.pipe(
		v.string(() => m.error_required()),
		v.regex(/^\d{1,9}(,\d{1,9})*$/, () => m.error_required()),
		v.transform((s) => s.split(',').map(Number))
	)
});

export const STAGE_ACTIONS = ['toggle', 'next', 'back', 'reset'] as const;
export type StageAction = (typeof STAGE_ACTIONS)[number];
export const stageSchema = v.object({
	action: v.picklist(STAGE_ACTIONS, () => m.error_required())
});
