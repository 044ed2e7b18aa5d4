import { describe, expect, it } from 'vitest';
import { HOSTILE, defused, readCsv } from '../../../../tests/fixtures/csv';
import { useTestDb } from '../../../../tests/fixtures/db';
import { domainError } from '../../../../tests/fixtures/domain-error';
import { votingRound } from '../../../../tests/fixtures/marketplace';
import { db, schema } from '../db';
import { castDot } from './dots';
import { proposalsCsv } from './proposals-csv';
import { eq } from 'drizzle-orm';

useTestDb();

describe('proposals export', () => {
	it('round-trips every proposal with its conveners and dots', async () => {
		const { event, organiser, attendees, proposals } = await votingRound({
			attendees: 3,
			proposals: HOSTILE.length
		});
		for (const [i, p] of proposals.entries()) {
			await db()
				.update(schema.proposals)
				.set({ title: HOSTILE[i] })
				.where(eq(schema.proposals.id, p.id));
		}
		await db()
			.update(schema.users)
			.set({ name: HOSTILE[3] })
			.where(eq(schema.users.id, attendees[0].id));
		await castDot(attendees[0], event.id, proposals[0].id);
		await castDot(attendees[0], event.id, proposals[0].id);
		await castDot(attendees[1], event.id, proposals[0].id);
		await castDot(attendees[2], event.id, proposals[2].id);

		const rows = readCsv(await proposalsCsv(organiser, event.id));
		expect(rows.map((r) => r.title)).toEqual(HOSTILE.map(defused));
		expect(rows.map((r) => r.dots)).toEqual(['3', '0', '1', '0', '0', '0', '0', '0']);
		expect(rows[0]['people who dotted']).toBe('2');
		expect(rows[0].conveners).toBe(defused(HOSTILE[3]));
		expect(rows[0].round).toBe('Round 1');
	});

	it('is for facilitators and organisers only', async () => {
		const { event, attendees } = await votingRound({ attendees: 1, proposals: 1 });
		expect((await domainError(() => proposalsCsv(attendees[0], event.id))).kind).toBe('forbidden');
	});
});
