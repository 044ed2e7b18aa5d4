import * as v from 'valibot';
import { ROUND_PHASES, SESSION_FORMATS } from '$lib/constants';
import { hasUnsafeMarkup } from '$lib/markdown';
import { m } from '$lib/paraglide/messages';
import { id, integer, optionalText, plainText } from './fields';

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
