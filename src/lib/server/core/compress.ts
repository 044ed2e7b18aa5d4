import { Readable } from 'node:stream';
import type { ReadableStream as NodeReadableStream } from 'node:stream/web';
import { constants, createBrotliCompress, createGzip } from 'node:zlib';

// Pages rendered by the app are compressed when the browser accepts it (JS and CSS come
// precompressed from the build). Only HTML: the event stream must reach screens message by
// message, and downloads keep their length. Compression streams, so a page sent in parts still
// arrives in parts.

/** The encoding to use for this Accept-Encoding header: brotli first, then gzip, else none. */
export function chooseEncoding(accept: string | null): 'br' | 'gzip' | null {
	const offered = new Map(
		(accept ?? '')
			.toLowerCase()
			.split(',')
			.map((part) => {
				const [name, ...params] = part.trim().split(';');
				const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
				return [name, q ? Number(q.slice(2)) : 1] as const;
			})
	);
	const ok = (name: string) => (offered.get(name) ?? offered.get('*') ?? 0) > 0;
	if (ok('br')) return 'br';
	if (ok('gzip')) return 'gzip';
	return null;
}

/** The response compressed for the request, when it is HTML and the browser takes it. */
export function compressed(request: Request, response: Response): Response {
	const type = response.headers.get('content-type') ?? '';
	if (!type.startsWith('text/html') || !response.body) return response;
	if (response.headers.has('content-encoding') || request.method === 'HEAD') return response;
	const encoding = chooseEncoding(request.headers.get('accept-encoding'));
	const headers = new Headers(response.headers);
	headers.append('Vary', 'Accept-Encoding');
	if (!encoding) return new Response(response.body, { status: response.status, headers });
	const squeeze =
		encoding === 'br'
			? createBrotliCompress({ params: { [constants.BROTLI_PARAM_QUALITY]: 5 } })
			: createGzip();
	const body = Readable.fromWeb(response.body as NodeReadableStream).pipe(squeeze);
	headers.set('Content-Encoding', encoding);
	headers.delete('Content-Length');
	return new Response(Readable.toWeb(body) as ReadableStream, {
		status: response.status,
		statusText: response.statusText,
		headers
	});
}
