import { eventForPublic } from '$lib/server/events/events';
import { orHttpError } from '$lib/server/core/http';
import { renderMarkdown } from '$lib/markdown';
import { reportPublished } from '$lib/server/harvest/report';
import { listRounds } from '$lib/server/marketplace/rounds';
import { listSchedule } from '$lib/server/events/schedule';
import { myEventDay } from '$lib/server/people/my-event';
import { checkInUrl, ticketQrSvg } from '$lib/server/tickets/tickets';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals, params, url }) => {
	const event = await orHttpError(url, () => eventForPublic(locals.user, params.event));
	const [rounds, mine] = await Promise.all([
		listRounds(event.id),
		myEventDay(locals.user, event.id)
	]);
	return {
		mine: mine && {
			...mine,
			qr: await ticketQrSvg(checkInUrl(url.origin, event.slug, mine.ticket.code))
		},
		event,
		descriptionHtml: renderMarkdown(event.description),
		days: await listSchedule(event.id),
		hasMarketplace: rounds.length > 0,
		hasAgenda: rounds.some((r) => r.phase === 'scheduled'),
		hasReport: await reportPublished(event.id)
	};
};
