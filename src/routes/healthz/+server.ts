import type { RequestHandler } from './$types';

// The process answers: nothing else is asked, so a slow database never makes it look dead.
export const GET: RequestHandler = () =>
	new Response('ok\n', { headers: { 'content-type': 'text/plain', 'cache-control': 'no-store' } });
