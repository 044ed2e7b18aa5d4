import { and, asc, eq } from 'drizzle-orm';
import type { RoundPhase } from '$lib/constants';
import type { RoundInput } from '$lib/schemas/marketplace';
import { logActivity } from './activity';
import { requireEventPermission, type Actor } from './auth/guards';
import { db, schema, type Db, type Tx } from './db';
import { notFound } from './errors';
import { live } from './realtime';

// Voting rounds of the marketplace. A facilitator moves each round through its phases:
// proposing → refining → voting → closed → scheduled; everyone's screen follows.

export type Round = typeof schema.rounds.$inferSelect;

export async function listRounds(eventId: number): Promise<Round[]> {
	return db()
		.select()
		.from(schema.rounds)
		.where(eq(schema.rounds.eventId, eventId))
		.orderBy(asc(schema.rounds.id));
}

export async function roundOf(tx: Tx | Db, eventId: number, roundId: number): Promise<Round> {
	const [round] = await tx
		.select()
		.from(schema.rounds)
		.where(and(eq(schema.rounds.id, roundId), eq(schema.rounds.eventId, eventId)));
	if (!round) throw notFound();
	return round;
}

export async function createRound(
	actor: Actor,
	eventId: number,
	input: RoundInput
): Promise<Round> {
	const who = await requireEventPermission(actor, eventId, 'marketplace.run');
	return db().transaction(async (tx) => {
		const [round] = await tx
			.insert(schema.rounds)
			.values({ eventId, ...input })
			.returning();
		await logActivity(tx, {
			eventId,
			actorId: who.id,
			action: 'round.created',
			data: { roundId: round.id }
		});
		return round;
	});
}

/** Open a phase for everyone, with an optional countdown to its close. */
export async function setPhase(
	actor: Actor,
	eventId: number,
	roundId: number,
	phase: RoundPhase,
	minutes: number | null = null,
	now = new Date()
): Promise<Round> {
	const who = await requireEventPermission(actor, eventId, 'marketplace.run');
	return db().transaction(async (tx) => {
		const [round] = await tx
			.update(schema.rounds)
			.set({
				phase,
				phaseEndsAt: minutes === null ? null : new Date(now.getTime() + minutes * 60_000)
			})
			.where(and(eq(schema.rounds.id, roundId), eq(schema.rounds.eventId, eventId)))
			.returning();
		if (!round) throw notFound();
		await logActivity(tx, {
			eventId,
			actorId: who.id,
			action: `round.${phase}`,
			data: { roundId }
		});
		await live().publish(
			eventId,
			'phase',
			{ roundId, phase, phaseEndsAt: round.phaseEndsAt?.toISOString() ?? null },
			tx
		);
		return round;
	});
}
