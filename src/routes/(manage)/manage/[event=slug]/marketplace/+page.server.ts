import { parseForm } from '$lib/schemas/form';
import {
	mergeSchema,
	roundPhaseSchema,
	roundSchema,
	undoMergeSchema
} from '$lib/schemas/marketplace';
import { eventForManage } from '$lib/server/events/events';
import { m } from '$lib/paraglide/messages';
import { isDomainError } from '$lib/server/core/errors';
import { failWith, invalidForm, orHttpError } from '$lib/server/core/http';
import { listMerges, mergeProposals, undoMerge } from '$lib/server/marketplace/merges';
import { marketplaceBoard } from '$lib/server/marketplace/board';
import { createRound, setPhase } from '$lib/server/marketplace/rounds';
import type { Actions, PageServerLoad } from './$types';

/** Which of the page's forms sent a request, from an id it carries (digits only). */
const formKey = (prefix: string, data: FormData, field: string) =>
	`${prefix}-${String(data.get(field) ?? '').replace(/\D/g, '')}`;

const manage = (locals: App.Locals, slug: string, url: URL) =>
	orHttpError(url, () => eventForManage(locals.user, slug, 'marketplace.run'));

export const load: PageServerLoad = async ({ locals, params, url }) => {
	const event = await manage(locals, params.event, url);
	const [board, merges] = await Promise.all([marketplaceBoard(event.id), listMerges(event.id)]);
	const rounds = board.rounds.map((round) => ({
		...round,
		merges: merges
			.filter((x) => x.roundId === round.id)
			.map((x) => ({
				id: x.id,
				source: x.source,
				target: x.target,
				mergedBy: x.mergedBy,
				createdAt: x.createdAt.toISOString()
			}))
	}));
	return { rounds, serverNow: board.serverNow };
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
		const form = formKey('phase', data, 'roundId');
		const parsed = parseForm(roundPhaseSchema, data);
		if (!parsed.success) return invalidForm(parsed.errors, parsed.values, form);
		const { roundId, phase, minutes } = parsed.data;
		try {
			await setPhase(locals.user, event.id, roundId, phase, minutes);
		} catch (e) {
			return failWith(e, parsed.values, { url, form });
		}
		return { form, saved: true };
	},
	merge: async ({ request, locals, params, url }) => {
		const event = await manage(locals, params.event, url);
		const data = await request.formData();
		const form = formKey('merge', data, 'roundId');
		const parsed = parseForm(mergeSchema, data);
		if (!parsed.success) return invalidForm(parsed.errors, parsed.values, form);
		const { sourceId, targetId } = parsed.data;
		try {
			await mergeProposals(locals.user, event.id, sourceId, targetId, url.origin);
		} catch (e) {
			return failWith(e, parsed.values, { url, form });
		}
		return { form, saved: true };
	},
	undo: async ({ request, locals, params, url }) => {
		const event = await manage(locals, params.event, url);
		const data = await request.formData();
		const form = formKey('undo', data, 'mergeId');
		const parsed = parseForm(undoMergeSchema, data);
		if (!parsed.success) return invalidForm(parsed.errors, parsed.values, form);
		// The round whose list shows that the merge was undone.
		const roundId = (await listMerges(event.id)).find((x) => x.id === parsed.data.mergeId)?.roundId;
		try {
			await undoMerge(locals.user, event.id, parsed.data.mergeId);
		} catch (e) {
			// Another facilitator undid it a moment ago: say so rather than show a missing page.
			if (isDomainError(e) && e.kind === 'not_found') {
				return invalidForm({ _form: m.mktm_undo_gone() }, parsed.values, form);
			}
			return failWith(e, parsed.values, { url, form });
		}
		return { form, saved: true, roundId };
	}
};
