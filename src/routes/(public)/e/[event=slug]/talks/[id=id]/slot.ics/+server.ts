import { error } from '@sveltejs/kit';
import { talksCalendar } from '$lib/server/core/calendar';
import { eventForPublic } from '$lib/server/events/events';
import { orHttpError } from '$lib/server/core/http';
import { slotOf } from '$lib/server/talks/running-order';
import { talkForPresenter } from '$lib/server/talks/talks';
import type { RequestHandler } from './$types';

/** One presenter's slot, for their own calendar; only the talk's presenters may fetch it. */
export const GET: RequestHandler = async ({ locals, params, url }) => {
	const event = await orHttpError(url, () => eventForPublic(locals.user, params.event));
	const { talk } = await orHttpError(url, () =>
		talkForPresenter(locals.user, event.id, Number(params.id))
	);
	const slot = await slotOf(event.id, talk.id);
	if (!slot) error(404, 'Not placed yet');
	return new Response(talksCalendar(event, [slot], url.origin), {
		headers: {
			'Content-Type': 'text/calendar; charset=utf-8',
			'Content-Disposition': `attachment; filename="${event.slug}-talk-${talk.id}.ics"`,
			'Cache-Control': 'private, no-store'
		}
	});
};
