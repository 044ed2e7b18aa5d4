import type { WallBlock } from '$lib/marketplace/board';
import { isLive, isVisible } from '$lib/marketplace/phases';
import { publishedAgenda, type PublishedSession } from '../agenda/grid';
import { marketplaceBoard } from './board';
import { listRounds, type Round } from './rounds';

// What the wall shows, one round at a time so it fills the screen: the round asked for, else the
// round under way, else the latest round the vote is over for (its published agenda of now and
// next, or its results while the agenda is made), else what comes next.

export type WallFocus =
	{ kind: 'round'; round: Round } | { kind: 'agenda'; round: Round } | { kind: 'next' };

/** The rule above, on the event's rounds (oldest first) and the agenda blocks not yet over. */
export function wallFocus(
	rounds: Round[],
	askedId: number | null,
	agendaLeft: (roundId: number) => boolean
): WallFocus {
	const asked = rounds.find((r) => r.id === askedId);
	if (asked)
		return asked.phase === 'scheduled'
			? { kind: 'agenda', round: asked }
			: { kind: 'round', round: asked };
	const live = rounds.find((r) => isLive(r.phase));
	if (live) return { kind: 'round', round: live };
	const latest = rounds.filter((r) => r.phase === 'closed' || r.phase === 'scheduled').at(-1);
	if (latest?.phase === 'closed') return { kind: 'round', round: latest };
	if (latest && agendaLeft(latest.id)) return { kind: 'agenda', round: latest };
	return { kind: 'next' };
}

/** A round's published agenda as now and next: the block on now (if any) and the one after it. */
export function nowAndNext(sessions: PublishedSession[], now: number) {
	const blocks = new Map<number, WallBlock>();
	for (const x of sessions) {
		const block = blocks.get(x.block.id) ?? {
			title: x.block.title,
			startsAt: x.block.startsAt.toISOString(),
			endsAt: x.block.endsAt.toISOString(),
			sessions: []
		};
		block.sessions.push({
			id: x.id,
			room: x.room.name,
			title: x.title,
			conveners: x.conveners.map((c) => c.name),
			startsAt: block.startsAt,
			endsAt: block.endsAt
		});
		blocks.set(x.block.id, block);
	}
	const ordered = [...blocks.values()].sort((a, b) => a.startsAt.localeCompare(b.startsAt));
	const current =
		ordered.find((b) => Date.parse(b.startsAt) <= now && now < Date.parse(b.endsAt)) ?? null;
	const next = ordered.find((b) => Date.parse(b.startsAt) > now) ?? null;
	return { now: current, next };
}

/** Everything the wall of an event shows now. */
export async function wallView(eventId: number, askedId: number | null, now = Date.now()) {
	const [rounds, sessions] = await Promise.all([listRounds(eventId), publishedAgenda(eventId)]);
	const agendaOf = (roundId: number) =>
		nowAndNext(
			sessions.filter((x) => x.roundId === roundId),
			now
		);
	const left = (roundId: number) => {
		const { now: on, next } = agendaOf(roundId);
		return !!(on || next);
	};
	const focus = wallFocus(rounds, askedId, left);
	// What opens next: a round being prepared is announced once it has an opening time (as on
	// the marketplace); without one it stays out of sight.
	const upcoming = rounds
		.filter((r) => !isVisible(r.phase) && r.phaseEndsAt)
		.map((r) => ({ id: r.id, title: r.title, opensAt: r.phaseEndsAt!.toISOString() }))
		.sort((a, b) => a.opensAt.localeCompare(b.opensAt));
	const board = await marketplaceBoard(eventId, focus.kind === 'round' ? [focus.round] : []);
	return {
		focus: focus.kind,
		round: board.rounds[0] ?? null,
		agenda:
			focus.kind === 'agenda'
				? { roundId: focus.round.id, title: focus.round.title, ...agendaOf(focus.round.id) }
				: null,
		upcoming: upcoming[0] ?? null,
		serverNow: board.serverNow
	};
}
