import { publishedAgenda } from '$lib/server/agenda/agenda';
import { headcounts } from '$lib/server/agenda/attendance';
import { eventForManage } from '$lib/server/events/events';
import { orHttpError } from '$lib/server/core/http';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals, params, url }) => {
	const event = await orHttpError(url, () =>
		eventForManage(locals.user, params.event, 'marketplace.run')
	);
	const sessions = await publishedAgenda(event.id);
	const blocks = [...new Map(sessions.map((x) => [x.block.id, x.block])).values()];
	// The block asked for; otherwise the one on now, or the next, or the last.
	const now = Date.now();
	const asked = Number(url.searchParams.get('block'));
	const block =
		blocks.find((b) => b.id === asked) ??
		blocks.find((b) => b.endsAt.getTime() > now) ??
		blocks.at(-1);
	return {
		blocks,
		block: block ?? null,
		rows: block ? await headcounts(event.id, block.id) : []
	};
};
