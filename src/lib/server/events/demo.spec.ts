import { eq } from 'drizzle-orm';
import { Temporal } from 'temporal-polyfill';
import { describe, expect, it } from 'vitest';
import { useTestDb } from '../../../../tests/fixtures/db';
import { makeUser } from '../../../../tests/fixtures/factories';
import { instantToZoned } from '$lib/time';
import { db, schema } from '../db';
import { loadDemoEvent } from './demo';
import { listRooms } from './rooms';
import { listRounds } from '../marketplace/rounds';
import { listSchedule } from './schedule';
import { callState, getCall } from '../talks/talks';

useTestDb();

describe('demo event', () => {
	it('mirrors OPEN 2019: two days 09:00–20:00, cap 150, five rooms, lightning talks and rounds', async () => {
		const admin = await makeUser({ admin: true });
		const event = await loadDemoEvent(admin.id, Temporal.PlainDate.from('2026-11-22'));
		expect(event).toMatchObject({
			capacity: 150,
			startDate: '2027-06-24',
			endDate: '2027-06-25',
			timeZone: 'Europe/London'
		});
		expect(new Date(`${event.startDate}T12:00:00Z`).getUTCDay()).toBe(4); // a Thursday, like 27 June 2019
		expect(await listRooms(event.id)).toHaveLength(5);
		const days = await listSchedule(event.id);
		expect(days).toHaveLength(2);
		for (const day of days) {
			const times = day.blocks.map((b) => instantToZoned(b.startsAt, event.timeZone).time);
			expect(times[0]).toBe('09:00');
			expect(instantToZoned(day.blocks.at(-1)!.endsAt, event.timeZone).time).toBe('20:00');
			expect(day.blocks.map((b) => b.kind)).toEqual(
				expect.arrayContaining(['lightning_talks', 'marketplace', 'session_round'])
			);
		}
		const types = await db()
			.select()
			.from(schema.ticketTypes)
			.where(eq(schema.ticketTypes.eventId, event.id));
		expect(types.map((t) => t.pricing).sort()).toEqual(['fixed', 'free', 'pay_what_you_can']);
		const roles = await db()
			.select()
			.from(schema.eventRoles)
			.where(eq(schema.eventRoles.eventId, event.id));
		expect(roles).toEqual([expect.objectContaining({ userId: admin.id, role: 'organiser' })]);
		// A marketplace each morning, filling that day's three session rounds; day 2's waits its turn.
		const rounds = await listRounds(event.id);
		expect(rounds.map((r) => [r.title, r.phase])).toEqual([
			['Day 1 marketplace', 'proposing'],
			['Day 2 marketplace', 'preparing']
		]);
		for (const [index, round] of rounds.entries()) {
			const filled = await db()
				.select({ title: schema.blocks.title })
				.from(schema.roundBlocks)
				.innerJoin(schema.blocks, eq(schema.blocks.id, schema.roundBlocks.blockId))
				.where(eq(schema.roundBlocks.roundId, round.id));
			const first = index * 3 + 1;
			expect(filled.map((b) => b.title).sort()).toEqual(
				[first, first + 1, first + 2].map((n) => `Session round ${n}`)
			);
		}
		const call = await getCall(event.id);
		expect(callState(call)).toBe('open');
		expect(instantToZoned(call!.closesAt, event.timeZone)).toEqual({
			date: '2027-06-10',
			time: '23:59'
		});
	});

	it('loading it twice gives the same event', async () => {
		const today = Temporal.PlainDate.from('2026-11-22');
		const a = await loadDemoEvent(null, today);
		const b = await loadDemoEvent(null, today);
		expect(b.id).toBe(a.id);
	});
});
