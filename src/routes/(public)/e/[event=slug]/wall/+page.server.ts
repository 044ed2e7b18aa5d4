import QRCode from 'qrcode';
import { publishedAgenda } from '$lib/server/agenda/agenda';
import { eventForPublic } from '$lib/server/events/events';
import { orHttpError } from '$lib/server/core/http';
import { marketplaceBoard } from '$lib/server/marketplace/board';
import { listRounds } from '$lib/server/marketplace/rounds';
import { isLive } from '$lib/marketplace/phases';
import type { PageServerLoad } from './$types';

/** The sessions of the block on now (or the next one, or the last), room by room. */
async function agendaNow(eventId: number, now = Date.now()) {
	const sessions = await publishedAgenda(eventId);
	const blocks = [...new Map(sessions.map((x) => [x.block.id, x.block])).values()];
	const block = blocks.find((b) => b.endsAt.getTime() > now) ?? blocks.at(-1);
	if (!block) return null;
	return {
		block,
		current: block.startsAt.getTime() <= now && now < block.endsAt.getTime(),
		sessions: sessions
			.filter((x) => x.block.id === block.id)
			.map((x) => ({
				id: x.id,
				room: x.room.name,
				title: x.title,
				conveners: x.conveners.map((c) => c.name)
			}))
	};
}

export const load: PageServerLoad = async ({ locals, params, url }) => {
	const event = await orHttpError(url, () => eventForPublic(locals.user, params.event));
	const rounds = await listRounds(event.id);
	// The facilitator may put one round on the wall (?round=id); otherwise the rounds under way,
	// or the results of the last vote.
	const asked = rounds.find((r) => String(r.id) === url.searchParams.get('round'));
	const active = rounds.filter((r) => isLive(r.phase));
	const lastClosed = rounds.filter((r) => r.phase === 'closed').at(-1);
	const shown = asked ? [asked] : active.length ? active : lastClosed ? [lastClosed] : [];
	// Once the marketplace is over and an agenda is out, the wall shows it and its QR opens it.
	const agendaUrl =
		!asked && !active.length && rounds.some((r) => r.phase === 'scheduled')
			? `${url.origin}/e/${event.slug}/agenda`
			: null;
	const marketplaceUrl = agendaUrl ?? `${url.origin}/e/${event.slug}/marketplace`;
	const [board, qr, agenda] = await Promise.all([
		marketplaceBoard(event.id, agendaUrl ? [] : shown),
		QRCode.toString(marketplaceUrl, { type: 'svg', errorCorrectionLevel: 'M', margin: 2 }),
		agendaUrl ? agendaNow(event.id) : null
	]);
	return {
		event: { name: event.name, slug: event.slug, timeZone: event.timeZone },
		rounds: board.rounds,
		agendaUrl,
		agenda,
		marketplaceUrl,
		qr,
		serverNow: board.serverNow
	};
};
