import { redirect } from '@sveltejs/kit';
import { myAgenda } from '$lib/server/agenda/attendance';
import { eventForPublic } from '$lib/server/events/events';
import { orHttpError, signInUrl } from '$lib/server/core/http';
import {
	calendarTokenMade,
	makeCalendarToken,
	revokeCalendarToken
} from '$lib/server/feeds/calendars';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals, params, url }) => {
	const event = await orHttpError(url, () => eventForPublic(locals.user, params.event));
	if (!locals.user) redirect(303, signInUrl(url));
	const [sessions, feedMadeAt] = await Promise.all([
		myAgenda(locals.user, event.id),
		calendarTokenMade(locals.user, event.id)
	]);
	return {
		event,
		feedMadeAt,
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

export const actions: Actions = {
	/** A new secret calendar address, shown once: only its hash is kept. */
	calendar: async ({ locals, params, url }) => {
		const event = await orHttpError(url, () => eventForPublic(locals.user, params.event));
		if (!locals.user) redirect(303, signInUrl(url));
		const token = await makeCalendarToken(locals.user, event.id);
		return { form: 'calendar', feedUrl: `${url.origin}/e/${event.slug}/agenda/feed/${token}.ics` };
	},
	revokeCalendar: async ({ locals, params, url }) => {
		const event = await orHttpError(url, () => eventForPublic(locals.user, params.event));
		if (!locals.user) redirect(303, signInUrl(url));
		await revokeCalendarToken(locals.user, event.id);
		return { form: 'revokeCalendar', revoked: true };
	}
};
