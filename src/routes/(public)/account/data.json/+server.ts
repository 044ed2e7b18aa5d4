import { orHttpError } from '$lib/server/core/http';
import { personalData } from '$lib/server/people/my-data';
import type { RequestHandler } from './$types';

export const GET: RequestHandler = async ({ locals, url }) => {
	const data = await orHttpError(url, () => personalData(locals.user));
	const day = data.exportedAt.slice(0, 10);
	return new Response(JSON.stringify(data, null, 2), {
		headers: {
			'Content-Type': 'application/json; charset=utf-8',
			'Content-Disposition': `attachment; filename="commonspace-my-data-${day}.json"`,
			'Cache-Control': 'private, no-store'
		}
	});
};
