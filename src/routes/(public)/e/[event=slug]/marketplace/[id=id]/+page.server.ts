import { fail } from '@sveltejs/kit';
import * as v from 'valibot';
import { renderMarkdown } from '$lib/markdown';
import { phaseAllows } from '$lib/marketplace/phases';
import { m } from '$lib/paraglide/messages';
import { id } from '$lib/schemas/fields';
import { parseForm } from '$lib/schemas/form';
import {
	commentSchema,
	editProposalSchema,
	suggestionRef,
	suggestionSchema,
	takeSuggestionSchema
} from '$lib/schemas/marketplace';
import {
	addComment,
	leaveSuggestion,
	listComments,
	SUGGESTED_FIELDS,
	suggestChange,
	takeSuggestion
} from '$lib/server/marketplace/comments';
import { eventForPublic } from '$lib/server/events/events';
import { failWith, invalidForm, orHttpError, signInUrl } from '$lib/server/core/http';
import {
	interestCounts,
	markInterest,
	myInterest,
	unmarkInterest
} from '$lib/server/marketplace/interest';
import {
	agreeToMerge,
	declineMerge,
	mergeRequestsOf,
	requestMerge,
	withdrawMergeRequest
} from '$lib/server/marketplace/merge-requests';
import {
	StaleEdit,
	editProposal,
	joinAsConvener,
	listProposals,
	marketplaceRights,
	proposalDetail,
	proposalHistory
} from '$lib/server/marketplace/proposals';
import { dotTotals } from '$lib/server/marketplace/dots';
import type { Actions, PageServerLoad, RequestEvent } from './$types';

type Content = { title: string; question: string; description: string };

const mergeRequestSchema = v.object({ targetId: id });
const mergeRequestRef = v.object({ requestId: id });

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

/** The thread as the page shows it: Markdown rendered, each suggestion against the text now. */
function thread(comments: Awaited<ReturnType<typeof listComments>>, now: Content) {
	return comments.map((c) => ({
		id: c.id,
		kind: c.kind,
		author: c.author,
		createdAt: c.createdAt,
		bodyHtml: c.body ? renderMarkdown(c.body) : '',
		status: c.status,
		changes: SUGGESTED_FIELDS.filter((field) => c.suggested?.[field] !== undefined).map(
			(field) => ({ field, from: now[field], to: c.suggested?.[field] ?? '' })
		)
	}));
}

export const load: PageServerLoad = async ({ locals, params, url }) => {
	const event = await orHttpError(url, () => eventForPublic(locals.user, params.event));
	const proposal = await orHttpError(url, () => proposalDetail(event.id, Number(params.id)));
	const [history, rights, totals, comments, interest, mine] = await Promise.all([
		proposalHistory(event.id, proposal.id),
		marketplaceRights(locals.user, event.id),
		dotTotals(proposal.roundId),
		listComments(event.id, proposal.id),
		interestCounts(proposal.roundId),
		myInterest(locals.user, event.id, proposal.roundId)
	]);
	const isConvener = proposal.conveners.some((c) => c.id === locals.user?.id);
	const open = proposal.status === 'open';
	const phase = proposal.round.phase;
	const canRequestMerge = open && isConvener && phaseAllows(phase, 'requestMerge');
	const [mergeRequests, roundProposals] = await Promise.all([
		mergeRequestsOf(event.id, proposal.id),
		canRequestMerge ? listProposals(event.id, proposal.roundId) : []
	]);
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
			total: totals.get(proposal.id) ?? 0,
			interest: interest.get(proposal.id) ?? 0,
			mine: mine.has(proposal.id)
		},
		round: { id: proposal.round.id, title: proposal.round.title, phase },
		history: withChanges(history),
		comments: thread(comments, proposal),
		isConvener,
		canEdit: open && (isConvener || rights.run),
		canJoin: open && !!locals.user && !isConvener,
		canComment: open && rights.propose && phaseAllows(phase, 'comment'),
		canSuggest: open && rights.propose && !isConvener && phaseAllows(phase, 'suggest'),
		canMark: open && rights.vote && phaseAllows(phase, 'markInterest'),
		mergeRequests: mergeRequests.map((r) => ({
			id: r.id,
			source: r.source,
			target: r.target,
			requester: r.requester,
			canDecide: !!locals.user && r.deciders.includes(locals.user.id),
			canWithdraw: !!locals.user && r.requestedBy === locals.user.id
		})),
		mergeCandidates: canRequestMerge
			? roundProposals
					.filter((x) => x.id !== proposal.id)
					.map((x) => ({ id: x.id, title: x.title }))
			: null,
		signIn: locals.user ? null : signInUrl(url)
	};
};

async function interestAction({ locals, params, url }: RequestEvent, add: boolean) {
	const event = await orHttpError(url, () => eventForPublic(locals.user, params.event));
	try {
		const mark = add ? markInterest : unmarkInterest;
		return { form: 'interest', interest: await mark(locals.user, event.id, Number(params.id)) };
	} catch (e) {
		return failWith(e, {}, { url, form: 'interest' });
	}
}

async function decideMerge(
	{ request, locals, params, url }: RequestEvent,
	done: 'merged' | 'declined' | 'withdrawn'
) {
	const event = await orHttpError(url, () => eventForPublic(locals.user, params.event));
	const parsed = parseForm(mergeRequestRef, await request.formData());
	if (!parsed.success) return invalidForm(parsed.errors, parsed.values, 'merge-request');
	const { requestId } = parsed.data;
	const form = `merge-request-${requestId}`;
	try {
		if (done === 'merged') await agreeToMerge(locals.user, event.id, requestId, url.origin);
		else if (done === 'declined') await declineMerge(locals.user, event.id, requestId);
		else await withdrawMergeRequest(locals.user, event.id, requestId);
	} catch (e) {
		return failWith(e, parsed.values, { url, form });
	}
	return { form, saved: true, done, requestId };
}

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
	},
	comment: async ({ request, locals, params, url }) => {
		const event = await orHttpError(url, () => eventForPublic(locals.user, params.event));
		const parsed = parseForm(commentSchema, await request.formData());
		if (!parsed.success) return invalidForm(parsed.errors, parsed.values, 'comment');
		try {
			await addComment(locals.user, event.id, Number(params.id), parsed.data.body);
		} catch (e) {
			return failWith(e, parsed.values, { url, form: 'comment' });
		}
		return { form: 'comment', saved: true };
	},
	suggest: async ({ request, locals, params, url }) => {
		const event = await orHttpError(url, () => eventForPublic(locals.user, params.event));
		const parsed = parseForm(suggestionSchema, await request.formData());
		if (!parsed.success) return invalidForm(parsed.errors, parsed.values, 'suggest');
		try {
			await suggestChange(locals.user, event.id, Number(params.id), parsed.data);
		} catch (e) {
			return failWith(e, parsed.values, { url, form: 'suggest' });
		}
		return { form: 'suggest', saved: true };
	},
	take: async ({ request, locals, params, url }) => {
		const event = await orHttpError(url, () => eventForPublic(locals.user, params.event));
		const parsed = parseForm(takeSuggestionSchema, await request.formData());
		if (!parsed.success) return invalidForm(parsed.errors, parsed.values, 'take');
		const form = `decide-${parsed.data.commentId}`;
		try {
			const { commentId, version } = parsed.data;
			await takeSuggestion(locals.user, event.id, commentId, version);
		} catch (e) {
			if (!(e instanceof StaleEdit)) return failWith(e, parsed.values, { url, form });
			// The page reloads with the current text, so the comparison shown is what a take does.
			const errors = { _form: m.mkr_error_take_stale({ version: e.current.version }) };
			return fail(409, { form, errors, values: parsed.values });
		}
		return { form, saved: true, taken: true };
	},
	leave: async ({ request, locals, params, url }) => {
		const event = await orHttpError(url, () => eventForPublic(locals.user, params.event));
		const parsed = parseForm(suggestionRef, await request.formData());
		if (!parsed.success) return invalidForm(parsed.errors, parsed.values, 'leave');
		const form = `decide-${parsed.data.commentId}`;
		try {
			await leaveSuggestion(locals.user, event.id, parsed.data.commentId);
		} catch (e) {
			return failWith(e, parsed.values, { url, form });
		}
		return { form, saved: true, left: true };
	},
	requestMerge: async ({ request, locals, params, url }) => {
		const event = await orHttpError(url, () => eventForPublic(locals.user, params.event));
		const form = 'merge-request';
		const parsed = parseForm(mergeRequestSchema, await request.formData());
		if (!parsed.success) return invalidForm(parsed.errors, parsed.values, form);
		try {
			const { targetId } = parsed.data;
			await requestMerge(locals.user, event.id, Number(params.id), targetId, url.origin);
		} catch (e) {
			return failWith(e, parsed.values, { url, form });
		}
		return { form, saved: true };
	},
	agreeMerge: (request) => decideMerge(request, 'merged'),
	declineMerge: (request) => decideMerge(request, 'declined'),
	withdrawMerge: (request) => decideMerge(request, 'withdrawn'),
	interest: (request) => interestAction(request, true),
	uninterest: (request) => interestAction(request, false)
};
