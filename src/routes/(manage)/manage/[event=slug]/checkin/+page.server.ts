import { checkInSchema, undoCheckInSchema } from '$lib/schemas/tickets';
import { checkIn, checkInCounts, searchTickets, undoCheckIn } from '$lib/server/tickets/checkin';
import { eventForManage } from '$lib/server/events/events';
import { failWith, formAction, orHttpError } from '$lib/server/core/http';
import { doorConflicts, revokeDoorKey } from '$lib/server/tickets/door-offline';
import type { Actions, PageServerLoad, RequestEvent } from './$types';

// Opening a ticket's QR lands here with ?code=: the code is shown ready to confirm, never
// checked in by the GET itself (link previews and prefetching would let people in).
export const load: PageServerLoad = async ({ locals, params, url, depends }) => {
	depends('checkin:counts');
	const event = await orHttpError(url, () =>
		eventForManage(locals.user, params.event, 'checkin.scan')
	);
	const q = (url.searchParams.get('q') ?? '').trim().slice(0, 100);
	const [counts, found, conflicts] = await orHttpError(url, () =>
		Promise.all([
			checkInCounts(locals.user, event.id),
			q ? searchTickets(locals.user, event.id, q) : null,
			doorConflicts(locals.user, event.id)
		])
	);
	return {
		counts,
		found,
		q,
		conflicts,
		code: (url.searchParams.get('code') ?? '').trim().slice(0, 500)
	};
};

const eventOf = ({ locals, params, url }: RequestEvent) =>
	orHttpError(url, () => eventForManage(locals.user, params.event));

export const actions: Actions = {
	checkin: async (request) => {
		const event = await eventOf(request);
		return formAction(request, checkInSchema, 'checkin', async ({ code, door, device }) => ({
			result: await checkIn(request.locals.user, event.id, code, { door, device }),
			door
		}));
	},
	undo: async (request) => {
		const event = await eventOf(request);
		return formAction(request, undoCheckInSchema, 'undo', async ({ id, name }) => {
			await undoCheckIn(request.locals.user, event.id, id);
			return { undone: name };
		});
	},
	revokeKey: async (request) => {
		const event = await eventOf(request);
		try {
			await revokeDoorKey(request.locals.user, event.id);
		} catch (e) {
			return failWith(e, {}, { url: request.url, form: 'revokeKey' });
		}
		return { form: 'revokeKey', revoked: true };
	}
};
