import QRCode from 'qrcode';
import { eventForPublic } from '$lib/server/events/events';
import { orHttpError } from '$lib/server/core/http';
import { wallView } from '$lib/server/marketplace/wall';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals, params, url }) => {
	const event = await orHttpError(url, () => eventForPublic(locals.user, params.event));
	// The facilitator may put one round on the wall (?round=id); otherwise the wall follows the day.
	const asked = Number(url.searchParams.get('round')) || null;
	const view = await wallView(event.id, asked);
	// The QR leads where the room should go now: the agenda once it is out, else the marketplace.
	const qrUrl = `${url.origin}/e/${event.slug}/${view.focus === 'agenda' ? 'agenda' : 'marketplace'}`;
	const qr = await QRCode.toString(qrUrl, { type: 'svg', errorCorrectionLevel: 'M', margin: 2 });
	return {
		event: { name: event.name, slug: event.slug, timeZone: event.timeZone },
		...view,
		qrUrl,
		qr
	};
};
