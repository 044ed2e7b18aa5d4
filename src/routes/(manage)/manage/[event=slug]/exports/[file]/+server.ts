import { error } from '@sveltejs/kit';
import { csvHeaders } from '$lib/server/core/csv';
import { eventForManage } from '$lib/server/events/events';
import { orHttpError } from '$lib/server/core/http';
import { EXPORTS, isExport } from '../lists';
import type { RequestHandler } from './$types';

export const GET: RequestHandler = async ({ locals, params, url }) => {
	if (!isExport(params.file)) error(404);
	const { permission, run } = EXPORTS[params.file];
	const event = await orHttpError(url, () => eventForManage(locals.user, params.event, permission));
	const body = await orHttpError(url, () => run(locals.user, event.id));
	return new Response(body, { headers: csvHeaders(`${event.slug}-${params.file}`) });
};
