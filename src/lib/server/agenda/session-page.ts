import { and, eq } from 'drizzle-orm';
import { renderMarkdown } from '$lib/markdown';
import { convenersOf } from '../marketplace/conveners';
import { db, schema } from '../db';
import { notFound } from '../core/errors';

// One session of a published agenda, for its own page. Public like the agenda itself; who
// wants to continue it is read separately (continuers.ts), since only some may see that.

/** A session of this event's published agendas; another event's, or an unpublished one, is not found. */
export async function publishedSessionPage(eventId: number, sessionId: number) {
	const s = schema.agendaSessions;
	const p = schema.proposals;
	const b = schema.blocks;
	const [row] = await db()
		.select({
			id: s.id,
			proposalId: p.id,
			title: p.title,
			question: p.question,
			description: p.description,
			room: schema.rooms.name,
			block: { title: b.title, startsAt: b.startsAt, endsAt: b.endsAt }
		})
		.from(s)
		.innerJoin(schema.rounds, eq(schema.rounds.id, s.roundId))
		.innerJoin(p, eq(p.id, s.proposalId))
		.innerJoin(schema.rooms, eq(schema.rooms.id, s.roomId))
		.innerJoin(b, eq(b.id, s.blockId))
		.where(and(eq(s.id, sessionId), eq(s.eventId, eventId), eq(schema.rounds.phase, 'scheduled')));
	if (!row) throw notFound();
	const conveners = await convenersOf(db(), [row.proposalId]);
	const { description, ...facts } = row;
	return {
		...facts,
		descriptionHtml: renderMarkdown(description),
		conveners: (conveners.get(row.proposalId) ?? []).map((c) => c.name)
	};
}

export type SessionPage = Awaited<ReturnType<typeof publishedSessionPage>>;
