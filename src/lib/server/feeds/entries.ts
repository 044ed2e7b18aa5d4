import { eq, inArray } from 'drizzle-orm';
import { publishedAgenda, type PublishedSession } from '../agenda/grid';
import { db, schema } from '../db';
import { listSchedule } from '../events/schedule';
import { publicProgramme } from '../talks/running-order';

// What the public feeds (schedule.xml/.json, the programme calendar) publish: accepted, placed
// lightning talks and the sessions of published agendas, one entry each under a stable UID.

export interface FeedPerson {
	id: number | null;
	name: string;
}

export interface FeedEntry {
	/** Stable across moves and edits: calendars and conference apps replace by it. */
	uid: string;
	kind: 'talk' | 'session';
	/** The talk's or the session's own id. */
	id: number;
	title: string;
	abstract: string;
	startsAt: Date;
	endsAt: Date;
	room: string;
	persons: FeedPerson[];
	links: string[];
	/** The page that shows it, relative to the site. */
	path: string;
}

export const talkUid = (id: number) => `talk-${id}@commonspace`;
export const sessionUid = (id: number) => `session-${id}@commonspace`;

export function sessionEntry(slug: string, x: PublishedSession): FeedEntry {
	return {
		uid: sessionUid(x.id),
		kind: 'session',
		id: x.id,
		title: x.title,
		abstract: x.question,
		startsAt: x.block.startsAt,
		endsAt: x.block.endsAt,
		room: x.room.name,
		persons: x.conveners.map((c) => ({ id: c.id, name: c.name })),
		links: [],
		path: `/e/${slug}/sessions/${x.id}`
	};
}

/** The lightning-talk blocks' rooms; a block without a room takes the event's venue. */
async function blockRooms(blockIds: number[]) {
	if (!blockIds.length) return new Map<number, string>();
	const rows = await db()
		.select({ id: schema.blocks.id, room: schema.rooms.name })
		.from(schema.blocks)
		.innerJoin(schema.rooms, eq(schema.rooms.id, schema.blocks.roomId))
		.where(inArray(schema.blocks.id, blockIds));
	return new Map(rows.map((x) => [x.id, x.room]));
}

type FeedEvent = { id: number; slug: string; venue: string };

const byStart = (a: FeedEntry, b: FeedEntry) =>
	a.startsAt.getTime() - b.startsAt.getTime() || a.room.localeCompare(b.room);

/** The accepted lightning talks placed in a slot, by start. */
export async function talkEntries(event: FeedEvent): Promise<FeedEntry[]> {
	const programme = await publicProgramme(event.id);
	const rooms = await blockRooms(programme.map((x) => x.block.id));
	return programme.flatMap((block) =>
		block.talks.map((talk) => ({
			uid: talkUid(talk.id),
			kind: 'talk' as const,
			id: talk.id,
			title: talk.title,
			abstract: talk.summary,
			startsAt: talk.startsAt,
			endsAt: talk.endsAt,
			room: rooms.get(block.block.id) ?? (event.venue || block.block.title),
			// The presenters' line as they chose to publish it, one name or several.
			persons: talk.presenters.trim() ? [{ id: null, name: talk.presenters.trim() }] : [],
			links: talk.links,
			path: `/e/${event.slug}/talks`
		}))
	);
}

/** Every published talk and session of the event, by start, then room. */
export async function feedEntries(event: FeedEvent) {
	const [talks, sessions] = await Promise.all([talkEntries(event), publishedAgenda(event.id)]);
	return [...talks, ...sessions.map((x) => sessionEntry(event.slug, x))].sort(byStart);
}

/** A person's own agenda: the sessions they will be at and the talks they give, by start. */
export async function personalEntries(
	event: FeedEvent,
	sessions: PublishedSession[],
	ownTalkIds: Set<number>
) {
	const talks = ownTalkIds.size
		? (await talkEntries(event)).filter((x) => ownTalkIds.has(x.id))
		: [];
	return [...talks, ...sessions.map((x) => sessionEntry(event.slug, x))].sort(byStart);
}

/** The event's days (date and the span of their blocks), for the schedule's day list. */
export async function feedDays(eventId: number) {
	return (await listSchedule(eventId)).map((day) => ({
		date: day.date,
		startsAt: day.blocks.length ? day.blocks[0].startsAt : null,
		endsAt: day.blocks.length
			? new Date(Math.max(...day.blocks.map((b) => b.endsAt.getTime())))
			: null
	}));
}
