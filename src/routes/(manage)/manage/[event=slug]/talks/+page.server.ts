import { TALK_STATUSES, type TalkStatus } from '$lib/constants';
import { eventForManage } from '$lib/server/events/events';
import { fail } from '@sveltejs/kit';
import { parseForm } from '$lib/schemas/form';
import { bulkDecisionSchema } from '$lib/schemas/talks';
import { failWith, orHttpError } from '$lib/server/core/http';
import { listSchedule } from '$lib/server/events/schedule';
import {
	decideTalks,
	listSubmissions,
	pendingDecisionCount,
	sendDecisions
} from '$lib/server/talks/review';
import type { Actions, PageServerLoad } from './$types';

/** The filter comes from the query string; anything unknown means "all". */
function filterFrom(url: URL, dayIds: number[]) {
	const status = url.searchParams.get('status') ?? '';
	const day = Number(url.searchParams.get('day') ?? '');
	return {
		status: (TALK_STATUSES as readonly string[]).includes(status) ? (status as TalkStatus) : null,
		dayId: dayIds.includes(day) ? day : null
	};
}

export const load: PageServerLoad = async ({ locals, params, url }) => {
	const event = await orHttpError(url, () =>
		eventForManage(locals.user, params.event, 'talks.review')
	);
	const days = (await listSchedule(event.id)).map((d) => ({ id: d.id, date: d.date }));
	const filter = filterFrom(
		url,
		days.map((d) => d.id)
	);
	const filtered = filter.status !== null || filter.dayId !== null;
	const [all, pending] = await Promise.all([
		listSubmissions(locals.user, event.id, { status: null, dayId: null }),
		pendingDecisionCount(locals.user, event.id)
	]);
	const submissions = filtered ? await listSubmissions(locals.user, event.id, filter) : all;
	const counts: Partial<Record<TalkStatus, number>> = {};
	for (const row of all) counts[row.talk.status] = (counts[row.talk.status] ?? 0) + 1;
	return { days, filter, submissions, counts, total: all.length, pending };
};

export const actions: Actions = {
	send: async ({ locals, params, url }) => {
		const event = await orHttpError(url, () =>
			eventForManage(locals.user, params.event, 'talks.manage')
		);
		try {
			const sent = await sendDecisions(locals.user, event.id, url.origin);
			return { form: 'send', saved: true, count: sent };
		} catch (e) {
			return failWith(e, {}, { url, form: 'send' });
		}
	},
	/** One decision for every ticked talk; the ticks stay if it is refused. */
	decideMany: async ({ locals, params, request, url }) => {
		const event = await orHttpError(url, () =>
			eventForManage(locals.user, params.event, 'talks.review')
		);
		const data = await request.formData();
		const selected = data.getAll('talkId').map(String);
		const parsed = parseForm(bulkDecisionSchema, data);
		if (!parsed.success) {
			return fail(400, { form: 'bulk', errors: parsed.errors, values: parsed.values, selected });
		}
		try {
			const saved = await decideTalks(
				locals.user,
				event.id,
				parsed.data.talkId,
				parsed.data.decision
			);
			return { form: 'bulk', count: saved.length };
		} catch (e) {
			const failure = failWith(e, parsed.values, { url, form: 'bulk' });
			return fail(failure.status, { ...failure.data, selected });
		}
	}
};
