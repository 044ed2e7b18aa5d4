import { eq } from 'drizzle-orm';
import { conflictsOf, type Conflict } from '$lib/agenda/conflicts';
import { schema, type Tx } from '../db';
import { convenersOf } from '../marketplace/conveners';

// The conflicts of a round's agenda as the database holds it inside a transaction, so an edit
// can compare before and after and say what it brought.

export async function conflictsNow(tx: Tx, eventId: number, roundId: number): Promise<Conflict[]> {
	const s = schema.agendaSessions;
	const p = schema.proposals;
	const sessions = await tx
		.select({
			id: s.id,
			title: p.title,
			blockId: s.blockId,
			roomId: s.roomId,
			expected: s.expected,
			proposalId: s.proposalId,
			suits: p.blockIds
		})
		.from(s)
		.innerJoin(p, eq(p.id, s.proposalId))
		.where(eq(s.roundId, roundId))
		.orderBy(s.id);
	const rooms = await tx
		.select({ id: schema.rooms.id, name: schema.rooms.name, capacity: schema.rooms.capacity })
		.from(schema.rooms)
		.where(eq(schema.rooms.eventId, eventId));
	const conveners = await convenersOf(
		tx,
		sessions.map((x) => x.proposalId)
	);
	return conflictsOf(
		sessions.map((x) => ({ ...x, conveners: conveners.get(x.proposalId) ?? [] })),
		rooms
	);
}
