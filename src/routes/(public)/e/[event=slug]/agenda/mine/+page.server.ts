import { redirect } from '@sveltejs/kit';
import { myAgenda } from '$lib/server/agenda/attendance';
import { eventForPublic } from '$lib/server/events/events';
import { orHttpError, signInUrl } from '$lib/server/core/http';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals, params, url }) => {
	const event = await orHttpError(url, () => eventForPublic(locals.user, params.event));
	if (!locals.user) redirect(303, signInUrl(url));
	const sessions = await myAgenda(locals.user, event.id);
	return {
		event,
		sessions: sessions.map((x) => ({
			id: x.id,
			proposalId: x.proposalId,
			title: x.title,
			question: x.question,
			block: x.block,
			room: x.room,
			conveners: x.conveners.map((c) => c.name),
			convening: x.convening,
			clashes: x.clashes
		}))
	};
};
