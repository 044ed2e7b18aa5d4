import { eventForManage } from '$lib/server/events/events';
import { orHttpError } from '$lib/server/core/http';
import { exportEvent } from '$lib/server/transfer/export';
import type { RequestHandler } from './$types';

export const GET: RequestHandler = async ({ locals, params, url }) => {
	const event = await orHttpError(url, () =>
		eventForManage(locals.user, params.event, 'event.export')
	);
	const doc = await orHttpError(url, () => exportEvent(locals.user, event.id));
	return new Response(JSON.stringify(doc, null, '\t'), {
		headers: {
			'Content-Type': 'application/json; charset=utf-8',
			'Content-Disposition': `attachment; filename="${event.slug}.commonspace.json"`,
			'Cache-Control': 'private, no-store'
		}
	});
};
