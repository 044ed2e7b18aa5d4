import { TALK_STATUSES, type TalkStatus } from '$lib/constants';
import { eventForManage } from '$lib/server/events/events';
import { failWith, orHttpError } from '$lib/server/core/http';
import { listSchedule } from '$lib/server/events/schedule';
import { listSubmissions, pendingDecisionCount, sendDecisions } from '$lib/server/talks/review';
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
	}
};
