import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { useTestDb } from '../../../../tests/fixtures/db';
import { harvestSessions } from '../../../../tests/fixtures/harvest';
import { continuersOf } from './continuers';
import { db, schema } from '../db';
import { joinContinuers, leaveContinuers } from './harvest';

useTestDb();

const harvestsOf = (sessionId: number) =>
	db().select().from(schema.harvests).where(eq(schema.harvests.sessionId, sessionId));

describe('who wants to continue, on the session page', () => {
	it('shows contacts only to people on the list and facilitators', async () => {
		const { event, session, attendees, facilitator, organiser } = await harvestSessions();
		const [ada, bea, cai] = attendees;
		await joinContinuers(ada, event.id, session.id, 'ada@co-op.example');
		await joinContinuers(bea, event.id, session.id, '@bea');

		// Cai holds a ticket but did not join: the count, no names, no contacts.
		const outside = await continuersOf(cai, event.id, session.id);
		expect(outside).toEqual({ count: 2, mine: null, people: null });
		expect(JSON.stringify(outside)).not.toContain('@');

		const member = await continuersOf(ada, event.id, session.id);
		expect(member?.mine).toEqual({ contact: 'ada@co-op.example' });
		expect(member?.people?.map((p) => p.contact)).toEqual(['ada@co-op.example', '@bea']);

		for (const team of [facilitator, organiser]) {
			const seen = await continuersOf(team, event.id, session.id);
			expect(seen?.mine).toBeNull();
			expect(seen?.people?.map((p) => p.contact)).toEqual(['ada@co-op.example', '@bea']);
		}

		// Negative control: once Cai joins, Cai sees the others; after leaving, no longer.
		await joinContinuers(cai, event.id, session.id, '');
		expect((await continuersOf(cai, event.id, session.id))?.people).toHaveLength(3);
		await leaveContinuers(cai, event.id, session.id);
		expect((await continuersOf(cai, event.id, session.id))?.people).toBeNull();
	});

	it('offers nothing to people who cannot take part', async () => {
		const { event, session, attendees, outsider } = await harvestSessions();
		await joinContinuers(attendees[0], event.id, session.id, '@ada');
		expect(await continuersOf(outsider, event.id, session.id)).toBeNull();
		expect(await continuersOf(null, event.id, session.id)).toBeNull();
	});

	it('reads without making the harvest, and keeps to its own session and event', async () => {
		const a = await harvestSessions();
		const [ada] = a.attendees;
		expect(await continuersOf(ada, a.event.id, a.session.id)).toEqual({
			count: 0,
			mine: null,
			people: null
		});
		expect(await harvestsOf(a.session.id)).toHaveLength(0);

		await joinContinuers(ada, a.event.id, a.session.id, '@ada');
		expect((await continuersOf(ada, a.event.id, a.sessions[1].id))?.count).toBe(0);
		// Event B's ticket holder naming event A's session under event B sees nobody.
		const b = await harvestSessions();
		const inB = await continuersOf(b.attendees[0], b.event.id, a.session.id);
		expect(inB).toEqual({ count: 0, mine: null, people: null });
		// And as an organiser of B (who sees every contact in B), still nothing of A.
		const asTeam = await continuersOf(b.organiser, b.event.id, a.session.id);
		expect(asTeam?.people).toEqual([]);
	});
});
