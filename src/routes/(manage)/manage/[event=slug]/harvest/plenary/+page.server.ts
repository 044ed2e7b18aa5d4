import { eventForManage } from '$lib/server/events/events';
import { plenarySlides } from '$lib/server/harvest/report';
import { orHttpError } from '$lib/server/core/http';
import type { PageServerLoad } from './$types';

// The slide shown is read by the page from ?slide=, so stepping through never reloads this.
export const load: PageServerLoad = async ({ locals, params, url }) => {
	const event = await orHttpError(url, () =>
		eventForManage(locals.user, params.event, 'harvest.manage')
	);
	const slides = await orHttpError(url, () => plenarySlides(locals.user, event.id));
	return { event: { name: event.name, slug: event.slug, timeZone: event.timeZone }, slides };
};
