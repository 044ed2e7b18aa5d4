import { json } from '@sveltejs/kit';
import { readiness } from '$lib/server/core/health';
import type { RequestHandler } from './$types';

export const GET: RequestHandler = async () => {
	const state = await readiness();
	return json(state, { status: state.ready ? 200 : 503, headers: { 'cache-control': 'no-store' } });
};
