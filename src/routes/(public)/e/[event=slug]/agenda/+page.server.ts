import { sessionSchema } from '$lib/schemas/agenda';
import {
	agendaWithMarks,
	attend,
	checkInto,
	leave,
	leaveSession
} from '$lib/server/agenda/attendance';
import { participation, type Actor } from '$lib/server/auth/guards';
import { eventForPublic } from '$lib/server/events/events';
import { harvestLinksShown } from '$lib/server/harvest/harvest';
import { formAction, formFor, orHttpError, signInUrl } from '$lib/server/core/http';
import { agendaDays } from './agenda-days';
import type { Actions, PageServerLoad, RequestEvent } from './$types';

export const load: PageServerLoad = async ({ locals, params, url }) => {
	const event = await orHttpError(url, () => eventForPublic(locals.user, params.event));
	const [sessions, holder, harvestLink] = await Promise.all([
		agendaWithMarks(locals.user, event.id),
		participation(locals.user, event.id),
		harvestLinksShown(locals.user, event.id)
	]);
	return {
		event,
		days: agendaDays(sessions, event.timeZone),
		canMark: !!holder,
		harvestLink,
		signIn: locals.user ? null : signInUrl(url),
		now: new Date()
	};
};

type Mark = (actor: Actor, eventId: number, sessionId: number) => Promise<unknown>;

const mark =
	(change: Mark) =>
	async ({ request, locals, params, url }: RequestEvent) => {
		const event = await orHttpError(url, () => eventForPublic(locals.user, params.event));
		return formAction(
			{ request, url, locals },
			sessionSchema,
			formFor('session', 'sessionId'),
			async ({ sessionId }) => {
				await change(locals.user, event.id, sessionId);
				return { saved: true };
			}
		);
	};

export const actions: Actions = {
	attend: mark(attend),
	leave: mark(leave),
	here: mark((actor, eventId, sessionId) => checkInto(actor, eventId, sessionId)),
	away: mark(leaveSession)
};
