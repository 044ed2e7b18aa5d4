import { renderMarkdown } from '$lib/markdown';
import { parseForm } from '$lib/schemas/form';
import { decisionSchema, reviewSchema } from '$lib/schemas/talks';
import { eventForManage } from '$lib/server/events/events';
import { failWith, invalidForm, orHttpError } from '$lib/server/core/http';
import {
	decideTalk,
	promoteReserve,
	reviewTalk,
	submissionForReview
} from '$lib/server/talks/review';
import type { Actions, PageServerLoad } from './$types';

const review = (locals: App.Locals, slug: string, url: URL) =>
	orHttpError(url, () => eventForManage(locals.user, slug, 'talks.review'));

export const load: PageServerLoad = async ({ locals, params, url }) => {
	const event = await review(locals, params.event, url);
	const talkId = Number(params.id);
	const submission = await orHttpError(url, () =>
		submissionForReview(locals.user, event.id, talkId)
	);
	return { ...submission, summaryHtml: renderMarkdown(submission.talk.summary) };
};

export const actions: Actions = {
	review: async ({ request, locals, params, url }) => {
		const event = await review(locals, params.event, url);
		const parsed = parseForm(reviewSchema, await request.formData());
		if (!parsed.success) return invalidForm(parsed.errors, parsed.values, 'review');
		try {
			await reviewTalk(locals.user, event.id, Number(params.id), parsed.data);
		} catch (e) {
			return failWith(e, parsed.values, { url, form: 'review' });
		}
		return { form: 'review', saved: true };
	},
	decide: async ({ request, locals, params, url }) => {
		const event = await review(locals, params.event, url);
		const data = await request.formData();
		data.set('talkId', params.id);
		const parsed = parseForm(decisionSchema, data);
		if (!parsed.success) return invalidForm(parsed.errors, parsed.values, 'decide');
		try {
			await decideTalk(locals.user, event.id, parsed.data.talkId, parsed.data.decision);
		} catch (e) {
			return failWith(e, parsed.values, { url, form: 'decide' });
		}
		return { form: 'decide', saved: true };
	},
	promote: async ({ locals, params, url }) => {
		const event = await review(locals, params.event, url);
		try {
			await promoteReserve(locals.user, event.id, Number(params.id));
		} catch (e) {
			return failWith(e, {}, { url, form: 'decide' });
		}
		return { form: 'decide', saved: true };
	}
};
