import { and, desc, eq } from 'drizzle-orm';
import { isLive } from '$lib/marketplace/phases';
import type { Actor } from '../auth/guards';
import { myAgenda } from '../agenda/attendance';
import { publishedAgenda } from '../agenda/grid';
import { db, schema } from '../db';
import { listSchedule } from '../events/schedule';
import { listRounds } from '../marketplace/rounds';
import { myTalksOverview } from '../talks/presenters';

// The event page as a ticket holder sees it: their ticket, what is on now and next and where,
// their own agenda, the marketplace while a round is open, and their talks.

type Block = Awaited<ReturnType<typeof listSchedule>>[number]['blocks'][number];
type Session = Awaited<ReturnType<typeof publishedAgenda>>[number];

const blockView = (block: Block, sessions: Session[]) => ({
	id: block.id,
	title: block.title,
	kind: block.kind,
	startsAt: block.startsAt,
	endsAt: block.endsAt,
	room: block.roomName,
	sessions: sessions
		.filter((x) => x.block.id === block.id)
		.map((x) => ({ id: x.id, title: x.title, room: x.room.name }))
});

/** What the event page shows this person about their day; null without a valid ticket. */
export async function myEventDay(actor: Actor, eventId: number, now = new Date()) {
	if (!actor) return null;
	const t = schema.tickets;
	const [ticket] = await db()
		.select({ id: t.id, code: t.code, name: t.name })
		.from(t)
		.where(and(eq(t.eventId, eventId), eq(t.holderId, actor.id), eq(t.status, 'valid')))
		.orderBy(desc(t.id))
		.limit(1);
	if (!ticket) return null;
	const [days, sessions, rounds, agenda, talks] = await Promise.all([
		listSchedule(eventId),
		publishedAgenda(eventId),
		listRounds(eventId),
		myAgenda(actor, eventId),
		myTalksOverview(actor, eventId)
	]);
	const blocks = days.flatMap((d) => d.blocks);
	const at = now.getTime();
	const current = blocks.filter((b) => b.startsAt.getTime() <= at && at < b.endsAt.getTime());
	const upcoming = blocks.filter((b) => b.startsAt.getTime() > at);
	const nextStart = upcoming[0]?.startsAt.getTime();
	const next = upcoming.filter((b) => b.startsAt.getTime() === nextStart);
	const open = rounds.filter((r) => isLive(r.phase)).at(-1);
	return {
		ticket,
		now: current.map((b) => blockView(b, sessions)),
		next: next.map((b) => blockView(b, sessions)),
		agenda: agenda
			.filter((x) => x.block.endsAt.getTime() > at)
			.map((x) => ({
				id: x.id,
				title: x.title,
				room: x.room.name,
				startsAt: x.block.startsAt,
				endsAt: x.block.endsAt,
				convening: x.convening
			})),
		round: open ? { id: open.id, title: open.title, phase: open.phase } : null,
		talks: talks
			.filter((x) => x.status !== 'withdrawn')
			.map((x) => ({
				id: x.id,
				title: x.title,
				status: x.status,
				notifiedStatus: x.notifiedStatus,
				slot: x.slot
			}))
	};
}

export type MyEventDay = NonNullable<Awaited<ReturnType<typeof myEventDay>>>;
