import * as v from 'valibot';
import { id } from '$lib/schemas/fields';
import { parseForm } from '$lib/schemas/form';
import { proposalSchema } from '$lib/schemas/marketplace';
import type { Actor } from '$lib/server/auth/guards';
import { eventForPublic } from '$lib/server/events/events';
import { failWith, invalidForm, orHttpError, signInUrl } from '$lib/server/core/http';
import { isLive, phaseAllows } from '$lib/marketplace/phases';
import {
	interestCounts,
	markInterest,
	myInterest,
	unmarkInterest
} from '$lib/server/marketplace/interest';
import {
	marketplaceRights,
	propose,
	proposalsWithConveners
} from '$lib/server/marketplace/proposals';
import { listRounds, type Round } from '$lib/server/marketplace/rounds';
import { castDot, dotTotals, myDots, takeDot } from '$lib/server/marketplace/dots';
import type { Actions, PageServerLoad, RequestEvent } from './$types';

const roundRef = v.object({ roundId: id });
const proposalRef = v.object({ proposalId: id });

async function roundView(actor: Actor, eventId: number, round: Round, voter: boolean) {
	const [proposals, totals, mine, interest, marked] = await Promise.all([
		proposalsWithConveners(eventId, round.id),
		dotTotals(round.id),
		voter ? myDots(actor, eventId, round.id) : null,
		interestCounts(round.id),
		myInterest(actor, eventId, round.id)
	]);
	const cards = proposals.map((x) => ({
		id: x.id,
		title: x.title,
		question: x.question,
		format: x.format,
		groupSize: x.groupSize,
		conveners: x.conveners.map((c) => c.name),
		total: totals.get(x.id) ?? 0,
		mine: mine?.perProposal.get(x.id) ?? 0,
		interest: interest.get(x.id) ?? 0,
		marked: marked.has(x.id)
	}));
	// While people still vote, cards keep their place; afterwards the most dotted come first.
	if (!isLive(round.phase)) cards.sort((a, b) => b.total - a.total);
	return {
		id: round.id,
		title: round.title,
		phase: round.phase,
		phaseEndsAt: round.phaseEndsAt,
		dotBudget: round.dotBudget,
		perProposalLimit: round.perProposalLimit,
		left: mine?.left ?? null,
		interestOpen: phaseAllows(round.phase, 'markInterest'),
		proposals: cards
	};
}

export const load: PageServerLoad = async ({ locals, params, url }) => {
	const event = await orHttpError(url, () => eventForPublic(locals.user, params.event));
	const [rounds, rights] = await Promise.all([
		listRounds(event.id),
		marketplaceRights(locals.user, event.id)
	]);
	const views = await Promise.all(
		rounds.map((r) =>
			roundView(locals.user, event.id, r, rights.vote && phaseAllows(r.phase, 'vote'))
		)
	);
	return {
		event,
		rights,
		signIn: locals.user ? null : signInUrl(url),
		current: views.filter((r) => isLive(r.phase)).reverse(),
		earlier: views.filter((r) => !isLive(r.phase)).reverse(),
		serverNow: new Date()
	};
};

async function dotAction({ request, locals, params, url }: RequestEvent, add: boolean) {
	const event = await orHttpError(url, () => eventForPublic(locals.user, params.event));
	const parsed = parseForm(proposalRef, await request.formData());
	if (!parsed.success) return invalidForm(parsed.errors, parsed.values, 'dot');
	const form = `dot-${parsed.data.proposalId}`;
	try {
		const vote = add ? castDot : takeDot;
		return { form, dot: await vote(locals.user, event.id, parsed.data.proposalId) };
	} catch (e) {
		return failWith(e, parsed.values, { url, form });
	}
}

export const actions: Actions = {
	propose: async ({ request, locals, params, url }) => {
		const event = await orHttpError(url, () => eventForPublic(locals.user, params.event));
		const data = await request.formData();
		const ref = parseForm(roundRef, data);
		if (!ref.success) return invalidForm(ref.errors, ref.values, 'propose');
		const form = `propose-${ref.data.roundId}`;
		const parsed = parseForm(proposalSchema, data);
		if (!parsed.success) return invalidForm(parsed.errors, parsed.values, form);
		try {
			const proposal = await propose(locals.user, event.id, ref.data.roundId, parsed.data);
			return { form, saved: true, title: proposal.title, proposalId: proposal.id };
		} catch (e) {
			return failWith(e, parsed.values, { url, form });
		}
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
