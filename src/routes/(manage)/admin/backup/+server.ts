import { downloadBackup } from '$lib/server/core/backup';
import { orHttpError } from '$lib/server/core/http';
import type { RequestHandler } from './$types';

export const GET: RequestHandler = async ({ locals, request, url }) => {
	const backup = await orHttpError(url, () =>
		downloadBackup(locals.user, request.headers.get('authorization'))
	);
	const stamp = new Date().toISOString().replace(/[:.]/g, '-');
	return new Response(backup, {
		headers: {
			'content-type': 'application/gzip',
			'content-disposition': `attachment; filename="commonspace-${stamp}.tar.gz"`,
			'cache-control': 'no-store'
		}
	});
};
