import { eventForPublic } from '$lib/server/events/events';
import { orHttpError } from '$lib/server/core/http';
import { renderMarkdown } from '$lib/markdown';
import { reportPublished } from '$lib/server/harvest/report';
import { listRounds } from '$lib/server/marketplace/rounds';
import { listSchedule } from '$lib/server/events/schedule';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals, params, url }) => {
	const event = await orHttpError(url, () => eventForPublic(locals.user, params.event));
	const rounds = await listRounds(event.id);
	return {
		event,
		descriptionHtml: renderMarkdown(event.description),
		days: await listSchedule(event.id),
		hasMarketplace: rounds.length > 0,
		hasAgenda: rounds.some((r) => r.phase === 'scheduled'),
		hasReport: await reportPublished(event.id)
	};
};
