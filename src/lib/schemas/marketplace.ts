import * as v from 'valibot';
import { ROUND_PHASES, SESSION_FORMATS } from '$lib/constants';
import { hasUnsafeMarkup } from '$lib/markdown';
import { m } from '$lib/paraglide/messages';
import { id, integer, optionalText, plainText, text } from './fields';

export const roundSchema = v.pipe(
	v.object({
		title: plainText(80),
		dotBudget: integer(1, 20),
		perProposalLimit: integer(1, 20)
	}),
	v.forward(
		v.partialCheck(
			[['dotBudget'], ['perProposalLimit']],
			(r) => r.perProposalLimit <= r.dotBudget,
			() => m.error_limit_over_budget()
		),
		['perProposalLimit']
	)
);
export type RoundInput = v.InferOutput<typeof roundSchema>;

export const phaseSchema = v.object({
	phase: v.picklist(ROUND_PHASES, () => m.error_required()),
	// Minutes until the phase is due to close; empty: no countdown.
	minutes: v.pipe(
		v.optional(v.string(), ''),
		v.trim(),
		v.check(
			(s) => s === '' || /^\d{1,3}$/.test(s),
			() => m.error_whole_number()
		),
		v.transform((s) => (s === '' ? null : Number(s)))
	)
});

export const proposalSchema = v.object({
	title: plainText(120),
	question: optionalText(300),
	description: v.pipe(
		optionalText(3000),
		v.check(
			(s) => !hasUnsafeMarkup(s),
			() => m.error_unsafe_markup()
		)
	),
	format: v.picklist(SESSION_FORMATS, () => m.error_required()),
	groupSize: v.pipe(
		v.optional(v.string(), ''),
		v.trim(),
		v.check(
			(s) => s === '' || (/^\d{1,3}$/.test(s) && Number(s) >= 2),
			() => m.error_range({ min: 2, max: 999 })
		),
		v.transform((s) => (s === '' ? null : Number(s)))
	)
});
export type ProposalInput = v.InferOutput<typeof proposalSchema>;

export const editProposalSchema = v.object({
	...proposalSchema.entries,
	// The version the editor started from; an older one means someone else changed it since.
	version: id
});

/** Markdown written by people, refused (not silently stripped) when it carries HTML. */
const markdown = (max: number, required: boolean) =>
	v.pipe(
		required ? text(max) : optionalText(max),
		v.check(
			(s) => !hasUnsafeMarkup(s),
			() => m.error_unsafe_markup()
		)
	);

export const commentSchema = v.object({ body: markdown(2000, true) });
export type CommentInput = v.InferOutput<typeof commentSchema>;

// A suggested change: the fields prefilled with the text the person saw (at `version`), and a
// note saying why. Only the fields they changed become the suggestion.
export const suggestionSchema = v.object({
	title: proposalSchema.entries.title,
	question: proposalSchema.entries.question,
	description: proposalSchema.entries.description,
	note: markdown(1000, false),
	version: id
});
export type SuggestionInput = v.InferOutput<typeof suggestionSchema>;

export const suggestionRef = v.object({ commentId: id });

export const takeSuggestionSchema = v.object({
	commentId: id,
	// The version whose text the convener saw the suggestion against.
	version: id
});

// Which round or proposal a form on the marketplace pages is about, from a hidden field.
export const roundRef = v.object({ roundId: id });
export const proposalRef = v.object({ proposalId: id });

// A convener asks to merge their proposal (from the URL) with another of the round.
export const mergeRequestSchema = v.object({ targetId: id });
export const mergeRequestRef = v.object({ requestId: id });

// The facilitator's forms. Which round a phase form is for travels with the form; the round
// must belong to this event.
export const roundPhaseSchema = v.object({ ...phaseSchema.entries, roundId: id });
export const mergeSchema = v.object({ roundId: id, sourceId: id, targetId: id });
export const undoMergeSchema = v.object({ mergeId: id });
