import { asc, eq, sql } from 'drizzle-orm';
import { requireEventPermission, type Actor } from '../auth/guards';
import { toCsv } from '../core/csv';
import { db, schema } from '../db';
import { convenersOf } from './conveners';

/** Every proposal of every round with its conveners and the dots it holds. */
export async function proposalsCsv(actor: Actor, eventId: number): Promise<string> {
	await requireEventPermission(actor, eventId, 'marketplace.run');
	const p = schema.proposals;
	const d = schema.dots;
	const rows = await db()
		.select({
			proposal: p,
			round: schema.rounds.title,
			dots: sql<number>`coalesce((select sum(${d.count}) from ${d} where ${d.proposalId} = ${p.id}), 0)::int`,
			voters: sql<number>`(select count(*) from ${d} where ${d.proposalId} = ${p.id} and ${d.count} > 0)::int`
		})
		.from(p)
		.innerJoin(schema.rounds, eq(schema.rounds.id, p.roundId))
		.where(eq(p.eventId, eventId))
		.orderBy(asc(schema.rounds.id), asc(p.id));
	const conveners = await convenersOf(
		db(),
		rows.map((x) => x.proposal.id)
	);
	return toCsv(
		[
			'proposal',
			'round',
			'title',
			'question',
			'format',
			'status',
			'merged into',
			'conveners',
			'dots',
			'people who dotted',
			'posted at'
		],
		rows.map(({ proposal, round, dots, voters }) => [
			proposal.id,
			round,
			proposal.title,
			proposal.question,
			proposal.format,
			proposal.status,
			proposal.mergedInto,
			(conveners.get(proposal.id) ?? []).map((c) => c.name).join('; '),
			dots,
			voters,
			proposal.createdAt
		])
	);
}
