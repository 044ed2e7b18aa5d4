import { m } from '$lib/paraglide/messages';
import { parseForm } from '$lib/schemas/form';
import {
	commentSchema,
	editProposalSchema,
	mergeRequestRef,
	mergeRequestSchema,
	suggestionRef,
	suggestionSchema,
	takeSuggestionSchema
} from '$lib/schemas/marketplace';
import {
	addComment,
	leaveSuggestion,
	suggestChange,
	takeSuggestion
} from '$lib/server/marketplace/comments';
import { eventForPublic } from '$lib/server/events/events';
import {
	failStale,
	failWith,
	formAction,
	invalidForm,
	orHttpError,
	signInUrl
} from '$lib/server/core/http';
import { markInterest, unmarkInterest } from '$lib/server/marketplace/interest';
import {
	agreeToMerge,
	declineMerge,
	requestMerge,
	withdrawMergeRequest
} from '$lib/server/marketplace/merge-requests';
import { proposalPage } from '$lib/server/marketplace/proposal-page';
import { StaleEdit, editProposal, joinAsConvener } from '$lib/server/marketplace/proposals';
import { proposalView } from './proposal-view';
import type { Actions, PageServerLoad, RequestEvent } from './$types';

export const load: PageServerLoad = async ({ locals, params, url }) => {
	const event = await orHttpError(url, () => eventForPublic(locals.user, params.event));
	const page = await orHttpError(url, () => proposalPage(locals.user, event.id, Number(params.id)));
	return { event, ...proposalView(page), signIn: locals.user ? null : signInUrl(url) };
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
			const { title, question, description, version } = e.current;
			return failStale('edit', e.fields, parsed.values, { title, question, description, version });
		}
	},
	comment: async (request) => {
		const { locals, params, url } = request;
		const event = await orHttpError(url, () => eventForPublic(locals.user, params.event));
		return formAction(request, commentSchema, 'comment', async ({ body }) => {
			await addComment(locals.user, event.id, Number(params.id), body);
			return { saved: true };
		});
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
			return failStale(form, errors, parsed.values);
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
