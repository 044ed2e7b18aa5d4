import * as v from 'valibot';
import { parseForm } from '$lib/schemas/form';
import { id } from '$lib/schemas/fields';
import { phaseSchema, roundSchema } from '$lib/schemas/marketplace';
import { eventForManage } from '$lib/server/events';
import { failWith, invalidForm, orHttpError } from '$lib/server/http';
import { listProposals } from '$lib/server/proposals';
import { createRound, listRounds, setPhase } from '$lib/server/rounds';
import { dotTotals } from '$lib/server/votes';
import type { Actions, PageServerLoad } from './$types';

// Which round a phase form is for travels with the form; the round must belong to this event.
const roundPhaseSchema = v.object({ ...phaseSchema.entries, roundId: id });

const manage = (locals: App.Locals, slug: string, url: URL) =>
	orHttpError(url, () => eventForManage(locals.user, slug, 'marketplace.run'));

export const load: PageServerLoad = async ({ locals, params, url }) => {
	const event = await manage(locals, params.event, url);
	const rounds = await Promise.all(
		(await listRounds(event.id)).map(async (round) => {
			const [proposals, totals] = await Promise.all([
				listProposals(event.id, round.id),
				dotTotals(round.id)
			]);
			return {
				id: round.id,
				title: round.title,
				phase: round.phase,
				phaseEndsAt: round.phaseEndsAt?.toISOString() ?? null,
				dotBudget: round.dotBudget,
				perProposalLimit: round.perProposalLimit,
				proposals: proposals.map((p) => ({
					id: p.id,
					title: p.title,
					question: p.question,
					total: totals.get(p.id) ?? 0
				}))
			};
		})
	);
	return { rounds, now: new Date().toISOString() };
};

export const actions: Actions = {
	create: async ({ request, locals, params, url }) => {
		const event = await manage(locals, params.event, url);
		const parsed = parseForm(roundSchema, await request.formData());
		if (!parsed.success) return invalidForm(parsed.errors, parsed.values, 'round');
		try {
			await createRound(locals.user, event.id, parsed.data);
		} catch (e) {
			return failWith(e, parsed.values, { url, form: 'round' });
		}
		return { form: 'round', saved: true };
	},
	phase: async ({ request, locals, params, url }) => {
		const event = await manage(locals, params.event, url);
		const data = await request.formData();
		const form = `phase-${String(data.get('roundId') ?? '').replace(/\D/g, '')}`;
		const parsed = parseForm(roundPhaseSchema, data);
		if (!parsed.success) return invalidForm(parsed.errors, parsed.values, form);
		const { roundId, phase, minutes } = parsed.data;
		try {
			await setPhase(locals.user, event.id, roundId, phase, minutes);
		} catch (e) {
			return failWith(e, parsed.values, { url, form });
		}
		return { form, saved: true };
	}
};
