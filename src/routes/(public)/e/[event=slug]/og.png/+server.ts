import { eventForPublic } from '$lib/server/events/events';
import { orHttpError } from '$lib/server/core/http';
import { shareImagePng } from '$lib/server/events/share-image';
import { isLocale, baseLocale } from '$lib/paraglide/runtime';
import type { RequestHandler } from './$types';

// The event's share picture (og:image). Its address carries the event's last change (`v`), so
// an edited event is fetched afresh by the networks that keep pictures; the same address may
// then be kept for a day.
export const GET: RequestHandler = async ({ locals, params, url }) => {
	const event = await orHttpError(url, () => eventForPublic(locals.user, params.event));
	const lang = url.searchParams.get('lang') ?? '';
	const png = shareImagePng(event, isLocale(lang) ? lang : baseLocale);
	return new Response(new Uint8Array(png), {
		headers: {
			'Content-Type': 'image/png',
			'Content-Length': String(png.length),
			'Cache-Control': 'public, max-age=86400'
		}
	});
};
