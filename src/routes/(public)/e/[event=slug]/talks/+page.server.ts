import { renderMarkdown } from '$lib/markdown';
import { eventForPublic } from '$lib/server/events/events';
import { orHttpError } from '$lib/server/core/http';
import { publicProgramme } from '$lib/server/talks/running-order';
import { stageView } from '$lib/server/talks/stage';
import { callState, getCall } from '$lib/server/talks/talks';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals, params, url }) => {
	const event = await orHttpError(url, () => eventForPublic(locals.user, params.event));
	const [programme, call, stage] = await Promise.all([
		publicProgramme(event.id),
		getCall(event.id),
		stageView(event.id)
	]);
	const dates = [...new Set(programme.map((x) => x.date))];
	return {
		event,
		days: dates.map((date) => ({
			date,
			blocks: programme
				.filter((x) => x.date === date)
				.map(({ block, talks }) => ({
					block,
					talks: talks.map((talk) => ({ ...talk, summaryHtml: renderMarkdown(talk.summary) }))
				}))
		})),
		call: call && { state: callState(call), opensAt: call.opensAt, closesAt: call.closesAt },
		onStage: stage.current && { title: stage.current.title, presenters: stage.current.presenters }
	};
};
