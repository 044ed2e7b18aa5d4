import { fail } from '@sveltejs/kit';
import { renderMarkdown } from '$lib/markdown';
import { parseForm } from '$lib/schemas/form';
import { editProposalSchema } from '$lib/schemas/marketplace';
import { eventForPublic } from '$lib/server/events';
import { failWith, invalidForm, orHttpError, signInUrl } from '$lib/server/http';
import {
	StaleEdit,
	editProposal,
	joinAsConvener,
	marketplaceRights,
	proposalDetail,
	proposalHistory
} from '$lib/server/proposals';
import { dotTotals } from '$lib/server/votes';
import type { Actions, PageServerLoad } from './$types';

type Content = { title: string; question: string };

/** Each version with what it changed from the one before (the first changed everything). */
function withChanges<T extends { content: Content }>(history: T[]) {
	return history.map((entry, i) => {
		const before = history[i + 1]?.content;
		return {
			...entry,
			titleChanged: !before || before.title !== entry.content.title,
			questionChanged: !before || before.question !== entry.content.question
		};
	});
}

export const load: PageServerLoad = async ({ locals, params, url }) => {
	const event = await orHttpError(url, () => eventForPublic(locals.user, params.event));
	const proposal = await orHttpError(url, () => proposalDetail(event.id, Number(params.id)));
	const [history, rights, totals] = await Promise.all([
		proposalHistory(event.id, proposal.id),
		marketplaceRights(locals.user, event.id),
		dotTotals(proposal.roundId)
	]);
	const isConvener = proposal.conveners.some((c) => c.id === locals.user?.id);
	const open = proposal.status === 'open';
	return {
		event,
		proposal: {
			id: proposal.id,
			title: proposal.title,
			question: proposal.question,
			description: proposal.description,
			descriptionHtml: renderMarkdown(proposal.description),
			format: proposal.format,
			groupSize: proposal.groupSize,
			version: proposal.version,
			status: proposal.status,
			mergedInto: proposal.mergedInto,
			conveners: proposal.conveners.map((c) => c.name),
			total: totals.get(proposal.id) ?? 0
		},
		round: { id: proposal.round.id, title: proposal.round.title, phase: proposal.round.phase },
		history: withChanges(history),
		isConvener,
		canEdit: open && (isConvener || rights.run),
		canJoin: open && !!locals.user && !isConvener,
		signIn: locals.user ? null : signInUrl(url)
	};
};

export const actions: Actions = {
	join: async ({ locals, params, url }) => {
		const event = await orHttpError(url, () => eventForPublic(locals.user, params.event));
		try {
			await joinAsConvener(locals.user, event.id, Number(params.id));
		} catch (e) {
			return failWith(e, {}, { url, form: 'join' });
		}
		return { form: 'join', saved: true };
	},
	edit: async ({ request, locals, params, url }) => {
		const event = await orHttpError(url, () => eventForPublic(locals.user, params.event));
		const parsed = parseForm(editProposalSchema, await request.formData());
		if (!parsed.success) return invalidForm(parsed.errors, parsed.values, 'edit');
		try {
			const saved = await editProposal(locals.user, event.id, Number(params.id), parsed.data);
			return { form: 'edit', saved: true, version: saved.version };
		} catch (e) {
			if (!(e instanceof StaleEdit)) return failWith(e, parsed.values, { url, form: 'edit' });
			// Keep what they typed; the next save is based on the text they have now been shown.
			const { current } = e;
			return fail(409, {
				form: 'edit',
				errors: e.fields,
				values: { ...parsed.values, version: String(current.version) },
				current: {
					title: current.title,
					question: current.question,
					description: current.description,
					version: current.version
				}
			});
		}
	}
};
