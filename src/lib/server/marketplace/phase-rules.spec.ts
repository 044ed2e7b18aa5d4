import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { ROUND_PHASES, type RoundPhase } from '$lib/constants';
import {
	PHASE_ACTIONS,
	PHASE_RULES,
	TIMED_STEPS,
	nextPhase,
	phaseAllows,
	type PhaseAction
} from '$lib/marketplace/phases';
import { m } from '$lib/paraglide/messages';
import { ticketHolder } from '../../../../tests/fixtures/agenda';
import { useTestDb } from '../../../../tests/fixtures/db';
import { makeEvent, makeTicketType } from '../../../../tests/fixtures/factories';
import { openRound, proposalInput } from '../../../../tests/fixtures/marketplace';
import type { Actor } from '../auth/guards';
import { db, schema } from '../db';
import { isDomainError } from '../core/errors';
import { addComment, suggestChange } from './comments';
import { castDot } from './dots';
import { markInterest } from './interest';
import { requestMerge } from './merge-requests';
import { mergeProposals } from './merges';
import { editProposal, joinAsConvener, propose } from './proposals';
import { createRound, setPhase } from './rounds';

// The phase table and the domain cannot drift apart: in every phase each action is tried
// through its domain function, and it must go through exactly when the table allows it, and be
// refused for the phase (not for anything else) when it does not.

useTestDb();

type World = Awaited<ReturnType<typeof world>>;

async function world() {
	const { event, organiser } = await makeEvent({ capacity: 100 });
	const type = await makeTicketType(organiser, event.id);
	const ana = await ticketHolder(event.id, type.id);
	const ben = await ticketHolder(event.id, type.id);
	return { event, organiser, ana, ben };
}

/** A round of `w`'s event in `phase`, with proposals made while it was still proposing. */
async function roundIn(w: World, phase: RoundPhase) {
	const { event, organiser, ana, ben } = w;
	const round = await openRound(organiser, event.id, {
		title: `Round ${phase}`,
		dotBudget: 5,
		perProposalLimit: 2
	});
	const post = (who: NonNullable<Actor>, title: string) =>
		propose(who, event.id, round.id, proposalInput(title));
	const proposals = {
		talkedAbout: await post(ana, 'Community servers'),
		kept: await post(ana, 'Shared hosting'),
		merged: await post(ana, 'Hosting together'),
		asking: await post(ana, 'Mesh networks'),
		asked: await post(ben, 'Community wifi')
	};
	// Publishing an agenda is what schedules a round; here the phase alone matters.
	if (PHASE_RULES[phase].byHand) await setPhase(organiser, event.id, round.id, phase);
	else await db().update(schema.rounds).set({ phase }).where(eq(schema.rounds.id, round.id));
	return { round, ...proposals };
}

type Setup = Awaited<ReturnType<typeof roundIn>>;

/** Each action through the domain function that does it. */
const ATTEMPTS: Record<PhaseAction, (w: World, r: Setup) => Promise<unknown>> = {
	propose: (w, r) => propose(w.ben, w.event.id, r.round.id, proposalInput('Late idea')),
	edit: (w, r) =>
		editProposal(w.ana, w.event.id, r.talkedAbout.id, {
			...proposalInput('Community servers'),
			description: 'Bring a laptop.',
			version: r.talkedAbout.version
		}),
	join: (w, r) => joinAsConvener(w.ben, w.event.id, r.talkedAbout.id),
	comment: (w, r) => addComment(w.ben, w.event.id, r.talkedAbout.id, 'Count me in.'),
	suggest: (w, r) =>
		suggestChange(w.ben, w.event.id, r.talkedAbout.id, { title: 'Servers we share', note: '' }),
	markInterest: (w, r) => markInterest(w.ben, w.event.id, r.talkedAbout.id),
	vote: (w, r) => castDot(w.ben, w.event.id, r.talkedAbout.id),
	merge: (w, r) => mergeProposals(w.organiser, w.event.id, r.merged.id, r.kept.id, 'http://t'),
	requestMerge: (w, r) => requestMerge(w.ana, w.event.id, r.asking.id, r.asked.id, 'http://t')
};

/** How the domain says "not in this phase", field and message. */
const REFUSALS: Partial<Record<PhaseAction, () => Record<string, string>>> = {
	requestMerge: () => ({ targetId: m.mrq_error_phase() })
};
const refusal = (action: PhaseAction) => REFUSALS[action]?.() ?? { _form: m.error_phase_closed() };

async function outcome(run: () => Promise<unknown>) {
	try {
		await run();
		return 'done';
	} catch (e) {
		if (!isDomainError(e)) throw e;
		return e.fields;
	}
}

describe('the phase table', () => {
	it('has a row for every phase, and the countdown steps follow its order', () => {
		expect(Object.keys(PHASE_RULES).sort()).toEqual([...ROUND_PHASES].sort());
		for (const phase of ROUND_PHASES) {
			for (const action of PHASE_ACTIONS) {
				expect(typeof PHASE_RULES[phase][action], `${phase}.${action}`).toBe('boolean');
			}
			const next = nextPhase(phase);
			// A click opens the next phase, so it must be one a click may open.
			if (next) expect(PHASE_RULES[next].byHand, `${phase} → ${next}`).toBe(true);
		}
		expect(TIMED_STEPS).toEqual(
			ROUND_PHASES.filter((p) => PHASE_RULES[p].timed && nextPhase(p)).map((p) => [p, nextPhase(p)])
		);
	});

	it('starts a round not open yet: nobody takes part, attendees do not see it, a click or its countdown opens proposals', async () => {
		expect(ROUND_PHASES[0]).toBe('preparing');
		for (const action of PHASE_ACTIONS)
			expect(phaseAllows('preparing', action), action).toBe(false);
		expect(PHASE_RULES.preparing).toMatchObject({ visible: false, live: false, next: 'proposing' });
		expect(TIMED_STEPS).toContainEqual(['preparing', 'proposing']);
		// Every phase after it is seen by attendees.
		expect(ROUND_PHASES.filter((p) => !PHASE_RULES[p].visible)).toEqual(['preparing']);
		const w = await world();
		const round = await createRound(w.organiser, w.event.id, {
			title: 'Day 2',
			dotBudget: 5,
			perProposalLimit: 2
		});
		expect(round.phase).toBe('preparing');
	});

	it('is what the domain allows and refuses, phase by phase and action by action', async () => {
		const w = await world();
		for (const phase of ROUND_PHASES) {
			const r = await roundIn(w, phase);
			for (const action of PHASE_ACTIONS) {
				const expected = phaseAllows(phase, action) ? 'done' : refusal(action);
				expect(await outcome(() => ATTEMPTS[action](w, r)), `${phase}: ${action}`).toEqual(
					expected
				);
			}
		}
	});

	it('lets a facilitator open by hand exactly the phases the table says', async () => {
		const w = await world();
		const round = await createRound(w.organiser, w.event.id, {
			title: 'Clicks',
			dotBudget: 5,
			perProposalLimit: 2
		});
		for (const phase of ROUND_PHASES) {
			const set = await outcome(() => setPhase(w.organiser, w.event.id, round.id, phase));
			const expected = PHASE_RULES[phase].byHand ? 'done' : { phase: m.error_publish_agenda() };
			expect(set, phase).toEqual(expected);
		}
	});
});
