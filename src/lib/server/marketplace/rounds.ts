import { m } from '$lib/paraglide/messages';
import { and, asc, eq, lte } from 'drizzle-orm';
import type { RoundPhase } from '$lib/constants';
import { PHASE_RULES, TIMED_STEPS, phaseAllows, type PhaseAction } from '$lib/marketplace/phases';
import type { RoundInput } from '$lib/schemas/marketplace';
import { logActivity } from '../core/activity';
import { requireEventPermission, type Actor } from '../auth/guards';
import { db, schema, type Db, type Tx } from '../db';
import { invalid, notFound } from '../core/errors';
import { live } from '../live/hub';

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

/** Refuse what the round's phase does not allow (see PHASE_RULES), with `message` beside `field`. */
export function requirePhase(
	round: Pick<Round, 'phase'>,
	action: PhaseAction,
	field = '_form',
	message: () => string = m.error_phase_closed
) {
	if (!phaseAllows(round.phase, action)) throw invalid({ [field]: message() });
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
	// Only publishing an agenda (agenda.ts) schedules a round, so no round is "scheduled" empty.
	if (!PHASE_RULES[phase].byHand) throw invalid({ phase: m.error_publish_agenda() });
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

/**
 * Move every round whose phase is due to the next phase (a live phase with a countdown moves on
 * by itself when its time is up; the others wait for the facilitator). Each UPDATE only matches the phase it
 * moves from and an end that has passed (and clears the end), so when several app instances
 * sweep at once the second finds nothing left to move and a change is announced once.
 */
export async function closeDuePhases(now = new Date()): Promise<Round[]> {
	const r = schema.rounds;
	return db().transaction(async (tx) => {
		const moved: Round[] = [];
		for (const [from, to] of TIMED_STEPS) {
			const rows = await tx
				.update(r)
				.set({ phase: to, phaseEndsAt: null })
				.where(and(eq(r.phase, from), lte(r.phaseEndsAt, now)))
				.returning();
			for (const round of rows) {
				await logActivity(tx, {
					eventId: round.eventId,
					actorId: null,
					action: `round.${to}`,
					data: { roundId: round.id, from }
				});
				await live().publish(
					round.eventId,
					'phase',
					{ roundId: round.id, phase: to, phaseEndsAt: null },
					tx
				);
			}
			moved.push(...rows);
		}
		return moved;
	});
}
