import { and, eq, like, sql } from 'drizzle-orm';
import type postgres from 'postgres';
import { describe, expect, it } from 'vitest';
import { onPostgres, useTestDb } from '../../../../tests/fixtures/db';
import { domainError } from '../../../../tests/fixtures/domain-error';
import { makeEvent } from '../../../../tests/fixtures/factories';
import type { RoundPhase } from '$lib/constants';
import { db, dbHandle, schema } from '../db';
import { closeDuePhases, createRound, roundOf, setPhase } from './rounds';

useTestDb({ poolSize: 20 });

const MINUTE = 60_000;
const ago = (minutes: number) => new Date(Date.now() - minutes * MINUTE);

/** A round in `phase` whose countdown ended `minutesAgo` minutes ago (negative: still running). */
async function timedRound(phase: RoundPhase, minutesAgo: number, minutes = 5) {
	const { event, organiser } = await makeEvent();
	const round = await createRound(organiser, event.id, {
		title: 'Round 1',
		dotBudget: 5,
		perProposalLimit: 2
	});
	const set = phase === 'scheduled' ? 'closed' : phase;
	await setPhase(organiser, event.id, round.id, set, minutes, ago(minutes + minutesAgo));
	// Only publishing an agenda schedules a round; here the phase alone matters.
	if (phase === 'scheduled') {
		await db().update(schema.rounds).set({ phase }).where(eq(schema.rounds.id, round.id));
	}
	return { event, organiser, round: await roundOf(db(), event.id, round.id) };
}

/** What the sweep left behind for this round: its activity lines and its announcements. */
async function traces(eventId: number) {
	const automatic = await db()
		.select()
		.from(schema.activity)
		.where(
			and(
				eq(schema.activity.eventId, eventId),
				like(schema.activity.action, 'round.%'),
				sql`${schema.activity.actorId} is null`
			)
		);
	const phases = await db()
		.select()
		.from(schema.liveEvents)
		.where(and(eq(schema.liveEvents.eventId, eventId), eq(schema.liveEvents.topic, 'phase')));
	return {
		actions: automatic.map((a) => a.action),
		// The first announcement is the facilitator's setPhase.
		announced: phases.slice(1).map((x) => x.data)
	};
}

describe('phases with a countdown', () => {
	it('move on to the next phase when due, once, with nobody as the actor', async () => {
		const { event, round } = await timedRound('voting', 1);
		const moved = await closeDuePhases();
		expect(moved.map((r) => r.id)).toContain(round.id);
		const after = await roundOf(db(), event.id, round.id);
		expect(after.phase).toBe('closed');
		expect(after.phaseEndsAt).toBeNull();
		expect(await traces(event.id)).toEqual({
			actions: ['round.closed'],
			announced: [{ roundId: round.id, phase: 'closed', phaseEndsAt: null }]
		});
		// Nothing is due any more: a second sweep changes nothing.
		expect((await closeDuePhases()).map((r) => r.id)).not.toContain(round.id);
		expect((await traces(event.id)).actions).toEqual(['round.closed']);
	});

	it('go proposing → refining → voting → closed, one step per countdown', async () => {
		const { event, organiser, round } = await timedRound('proposing', 0);
		await closeDuePhases();
		expect((await roundOf(db(), event.id, round.id)).phase).toBe('refining');
		// The next phase has no countdown until the facilitator sets one.
		await closeDuePhases(new Date(Date.now() + 60 * MINUTE));
		expect((await roundOf(db(), event.id, round.id)).phase).toBe('refining');
		await setPhase(organiser, event.id, round.id, 'refining', 2, ago(3));
		await closeDuePhases();
		await setPhase(organiser, event.id, round.id, 'voting', 2, ago(3));
		await closeDuePhases();
		expect((await roundOf(db(), event.id, round.id)).phase).toBe('closed');
		expect((await traces(event.id)).actions).toEqual([
			'round.refining',
			'round.voting',
			'round.closed'
		]);
	});

	it('a round not yet due stays, up to the very minute it ends', async () => {
		const { event, round } = await timedRound('voting', -2);
		await closeDuePhases();
		expect(await roundOf(db(), event.id, round.id)).toEqual(round);
		// A facilitator who gave more time: a sweep from before the change moves nothing.
		const ends = round.phaseEndsAt!;
		await closeDuePhases(new Date(ends.getTime() - 1));
		expect((await roundOf(db(), event.id, round.id)).phase).toBe('voting');
		await closeDuePhases(ends);
		expect((await roundOf(db(), event.id, round.id)).phase).toBe('closed');
	});

	it('only publishing an agenda schedules a round', async () => {
		const { event, organiser, round } = await timedRound('closed', -1);
		const refused = await domainError(() => setPhase(organiser, event.id, round.id, 'scheduled'));
		expect(refused.fields).toHaveProperty('phase');
		expect((await roundOf(db(), event.id, round.id)).phase).toBe('closed');
	});

	it('closed and scheduled rounds never move on by time', async () => {
		for (const phase of ['closed', 'scheduled'] as const) {
			const { event, round } = await timedRound(phase, 10);
			await closeDuePhases(new Date(Date.now() + 24 * 60 * MINUTE));
			expect((await roundOf(db(), event.id, round.id)).phase).toBe(phase);
			expect((await traces(event.id)).actions).toEqual([]);
		}
	});

	it('a due round moves once when five app instances sweep at the same moment', async () => {
		const { event, round } = await timedRound('proposing', 1);
		await Promise.all(Array.from({ length: 5 }, () => closeDuePhases()));
		const after = await roundOf(db(), event.id, round.id);
		// Not refining → voting → …: the first sweep cleared the end, so the others had nothing.
		expect(after.phase).toBe('refining');
		expect(await traces(event.id)).toEqual({
			actions: ['round.refining'],
			announced: [{ roundId: round.id, phase: 'refining', phaseEndsAt: null }]
		});
	});

	it.runIf(onPostgres())(
		'five sweeps queued on the same round all re-check it after the first one moves it',
		async () => {
			const { event, round } = await timedRound('voting', 1);
			const r = schema.rounds;
			let sweeps: Promise<unknown>[] = [];
			// Hold the round's row so all five sweeps reach their UPDATE and wait on it together.
			await db().transaction(async (tx) => {
				await tx.select().from(r).where(eq(r.id, round.id)).for('update');
				sweeps = Array.from({ length: 5 }, () => closeDuePhases());
				const client = dbHandle().client as postgres.Sql;
				let waiting = 0;
				for (let i = 0; i < 100 && waiting < 5; i++) {
					await new Promise((resolve) => setTimeout(resolve, 50));
					const [row] = await client<{ waiting: number }[]>`
						select count(*)::int as waiting from pg_stat_activity
						where wait_event_type = 'Lock' and datname = current_database()`;
					waiting = row.waiting;
				}
				expect(waiting).toBe(5);
			});
			await Promise.all(sweeps);
			expect((await roundOf(db(), event.id, round.id)).phase).toBe('closed');
			expect(await traces(event.id)).toEqual({
				actions: ['round.closed'],
				announced: [{ roundId: round.id, phase: 'closed', phaseEndsAt: null }]
			});
		}
	);
});
