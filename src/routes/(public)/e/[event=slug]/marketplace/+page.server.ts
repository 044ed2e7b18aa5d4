import { parseForm } from '$lib/schemas/form';
import { proposalRef, proposalSchema, roundRef } from '$lib/schemas/marketplace';
import { eventForPublic } from '$lib/server/events/events';
import {
	applyOnce,
	failWith,
	formAction,
	formFor,
	invalidForm,
	orHttpError,
	signInUrl
} from '$lib/server/core/http';
import { attendeeBoard } from '$lib/server/marketplace/board';
import { castDot, takeDot } from '$lib/server/marketplace/dots';
import { markInterest, unmarkInterest } from '$lib/server/marketplace/interest';
import { propose } from '$lib/server/marketplace/proposals';
import type { Actions, PageServerLoad, RequestEvent } from './$types';

export const load: PageServerLoad = async ({ locals, params, url }) => {
	const event = await orHttpError(url, () => eventForPublic(locals.user, params.event));
	const board = await attendeeBoard(locals.user, event.id);
	return { event, ...board, signIn: locals.user ? null : signInUrl(url) };
};

async function dotAction(request: RequestEvent, add: boolean) {
	const { locals, params, url } = request;
	const event = await orHttpError(url, () => eventForPublic(locals.user, params.event));
	const vote = add ? castDot : takeDot;
	return formAction(request, proposalRef, formFor('dot', 'proposalId'), async ({ proposalId }) => ({
		dot: await vote(locals.user, event.id, proposalId)
	}));
}

export const actions: Actions = {
	propose: async ({ request, locals, params, url }) => {
		const event = await orHttpError(url, () => eventForPublic(locals.user, params.event));
		const data = await request.formData();
		const ref = parseForm(roundRef, data);
		if (!ref.success) return invalidForm(ref.errors, ref.values, 'propose');
		const form = `propose-${ref.data.roundId}`;
		return applyOnce(data, locals, form, async () => {
			const parsed = parseForm(proposalSchema, data);
			if (!parsed.success) return invalidForm(parsed.errors, parsed.values, form);
			try {
				const proposal = await propose(locals.user, event.id, ref.data.roundId, parsed.data);
				return { form, saved: true, title: proposal.title, proposalId: proposal.id };
			} catch (e) {
				return failWith(e, parsed.values, { url, form });
			}
		});
	},
	dot: (request) => dotAction(request, true),
	undot: (request) => dotAction(request, false),
	interest: (request) => interestAction(request, true),
	uninterest: (request) => interestAction(request, false)
};

async function interestAction({ request, locals, params, url }: RequestEvent, add: boolean) {
	const event = await orHttpError(url, () => eventForPublic(locals.user, params.event));
	const parsed = parseForm(proposalRef, await request.formData());
	if (!parsed.success) return invalidForm(parsed.errors, parsed.values, 'interest');
	const form = `interest-${parsed.data.proposalId}`;
	try {
		const mark = add ? markInterest : unmarkInterest;
		return { form, interest: await mark(locals.user, event.id, parsed.data.proposalId) };
	} catch (e) {
		return failWith(e, parsed.values, { url, form });
	}
}
