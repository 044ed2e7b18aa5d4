import { error, json } from '@sveltejs/kit';
import * as v from 'valibot';
import { eventForManage } from '$lib/server/events/events';
import { orHttpError } from '$lib/server/core/http';
import { syncDoorScans } from '$lib/server/tickets/door-offline';
import { doorSyncSchema } from '$lib/schemas/tickets';
import type { RequestHandler } from './$types';

// A door phone sends the admissions it made offline; each scan id applies once.
export const POST: RequestHandler = async ({ locals, params, url, request }) => {
	const event = await orHttpError(url, () =>
		eventForManage(locals.user, params.event, 'checkin.scan')
	);
	const parsed = v.safeParse(doorSyncSchema, await request.json().catch(() => null));
	if (!parsed.success) error(400, 'Bad batch');
	const { keyId, scans } = parsed.output;
	const results = await orHttpError(url, () => syncDoorScans(locals.user, event.id, keyId, scans));
	return json({ results });
};
