import { orHttpError } from '$lib/server/core/http';
import { outboxAttachment } from '$lib/server/core/mail';
import type { RequestHandler } from './$types';

// A file as it was attached: always a download, never shown as a page of this site.
export const GET: RequestHandler = async ({ locals, url, params }) => {
	const file = await orHttpError(url, () =>
		outboxAttachment(locals.user, Number(params.id), Number(params.n))
	);
	return new Response(new Uint8Array(file.bytes), {
		headers: {
			'content-type': file.contentType,
			'content-disposition': `attachment; filename="${file.filename.replace(/[^\w.-]/g, '_')}"`,
			'x-content-type-options': 'nosniff',
			'content-security-policy': "sandbox; default-src 'none'",
			'cache-control': 'private, no-store'
		}
	});
};
