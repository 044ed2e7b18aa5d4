import { eventForPublic } from '$lib/server/events/events';
import { eventReport, reportHtml } from '$lib/server/harvest/report';
import { orHttpError } from '$lib/server/core/http';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals, params, url }) => {
	const event = await orHttpError(url, () => eventForPublic(locals.user, params.event));
	const report = await orHttpError(url, () => eventReport(locals.user, event.id));
	return { report: reportHtml(report) };
};
