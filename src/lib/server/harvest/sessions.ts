import { and, asc, eq, inArray, isNull } from 'drizzle-orm';
import { publishedAgenda, type PublishedSession } from '../agenda/grid';
import { db, schema } from '../db';
import type { ReviewedHarvest } from '../db/schema/harvest';
import type { Harvest } from './harvest';
import type { HarvestItem } from './items';
import { listRounds } from '../marketplace/rounds';

// Reading the harvests of an event's published agendas for the review, the report and the
// plenary: each session with its harvest row (if anyone opened it) and its list items.
// Nothing here creates a harvest: a session nobody wrote about simply has none.

export interface SessionHarvest {
	session: PublishedSession;
	roundTitle: string;
	harvest: Harvest | null;
	/** Items still on their lists (removed ones left out), oldest first. */
	items: HarvestItem[];
}

export async function agendaHarvests(eventId: number): Promise<SessionHarvest[]> {
	const sessions = await publishedAgenda(eventId);
	if (!sessions.length) return [];
	const h = schema.harvests;
	const hi = schema.harvestItems;
	const [rounds, harvests] = await Promise.all([
		listRounds(eventId),
		db()
			.select()
			.from(h)
			.where(
				and(
					eq(h.eventId, eventId),
					inArray(
						h.sessionId,
						sessions.map((x) => x.id)
					)
				)
			)
	]);
	const items = harvests.length
		? await db()
				.select()
				.from(hi)
				.where(
					and(
						eq(hi.eventId, eventId),
						inArray(
							hi.harvestId,
							harvests.map((x) => x.id)
						),
						isNull(hi.removedAt)
					)
				)
				.orderBy(asc(hi.createdAt), asc(hi.id))
		: [];
	const order = new Map(rounds.map((r, i) => [r.id, i]));
	const titles = new Map(rounds.map((r) => [r.id, r.title]));
	// Rounds in the order they were made; inside one, publishedAgenda's block then room order.
	return sessions
		.map((session, i) => ({ session, i }))
		.sort((a, b) => order.get(a.session.roundId)! - order.get(b.session.roundId)! || a.i - b.i)
		.map(({ session }) => {
			const harvest = harvests.find((x) => x.sessionId === session.id) ?? null;
			return {
				session,
				roundTitle: titles.get(session.roundId) ?? '',
				harvest,
				items: harvest ? items.filter((x) => x.harvestId === harvest.id) : []
			};
		});
}

/** A harvest's content in the shape an organiser approves: texts and the items still listed. */
export function harvestContent(
	harvest: Pick<Harvest, 'question' | 'notes' | 'participants'>,
	items: Pick<HarvestItem, 'kind' | 'text' | 'owner' | 'dueOn' | 'url'>[]
): ReviewedHarvest {
	return {
		question: harvest.question,
		notes: harvest.notes,
		participants: harvest.participants,
		items: items.map((i) => ({
			kind: i.kind,
			text: i.text,
			owner: i.owner,
			dueOn: i.dueOn,
			url: i.url
		}))
	};
}

/** Whether a harvest marked complete was edited after the organiser approved it. */
export function changedSinceReview(x: SessionHarvest): boolean {
	const reviewed = x.harvest?.completedAt ? x.harvest.reviewed : null;
	if (!reviewed) return false;
	// Both sides rebuilt in one key order: jsonb does not keep the order they were written in.
	const now = harvestContent(x.harvest!, x.items);
	return JSON.stringify(now) !== JSON.stringify(harvestContent(reviewed, reviewed.items));
}

/** The harvest as the organiser approved it, for everything published. */
export function asReviewed(x: SessionHarvest): SessionHarvest {
	const reviewed = x.harvest?.reviewed;
	if (!x.harvest || !reviewed) return x;
	const { items, ...texts } = reviewed;
	return {
		...x,
		harvest: { ...x.harvest, ...texts },
		items: items.map((item, i) => ({
			...item,
			// Approved items are a copy: they carry no row of their own.
			id: -(i + 1),
			eventId: x.harvest!.eventId,
			harvestId: x.harvest!.id,
			version: 0,
			createdBy: null,
			createdAt: x.harvest!.completedAt!,
			updatedAt: x.harvest!.completedAt!,
			removedAt: null,
			removedBy: null
		}))
	};
}

/** Whether anything was written in a harvest. */
export const hasContent = (x: SessionHarvest) =>
	!!x.harvest &&
	(x.harvest.question.trim() !== '' ||
		x.harvest.notes.trim() !== '' ||
		x.harvest.participants !== null ||
		x.items.length > 0);

export interface Grouped<T> {
	id: number;
	title: string;
	blocks: { id: number; title: string; startsAt: Date; endsAt: Date; sessions: T[] }[];
}

/** Rounds, each with its blocks in time order, each with its sessions room by room. */
export function byRoundAndBlock<T>(
	list: SessionHarvest[],
	view: (x: SessionHarvest) => T
): Grouped<T>[] {
	const rounds: Grouped<T>[] = [];
	for (const x of list) {
		let round = rounds.find((r) => r.id === x.session.roundId);
		if (!round) {
			round = { id: x.session.roundId, title: x.roundTitle, blocks: [] };
			rounds.push(round);
		}
		let block = round.blocks.find((b) => b.id === x.session.block.id);
		if (!block) {
			block = { ...x.session.block, sessions: [] };
			round.blocks.push(block);
		}
		block.sessions.push(view(x));
	}
	return rounds;
}
