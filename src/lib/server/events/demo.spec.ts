import { eq } from 'drizzle-orm';
import { Temporal } from 'temporal-polyfill';
import { describe, expect, it } from 'vitest';
import { useTestDb } from '../../../../tests/fixtures/db';
import { actorOf, makeUser } from '../../../../tests/fixtures/factories';
import { inbox } from '../../../../tests/fixtures/mailbox';
import { marketplaceBoard } from '../marketplace/board';
import { shownNames } from '../people/shown-name';
import { loadDemoSamples, SAMPLE_PEOPLE } from './demo-samples';
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
		expect(types.map((t) => t.pricing).sort()).toEqual([
			'fixed',
			'free',
			'free',
			'pay_what_you_can'
		]);
		// One free type anyone can order, so the demo can be tried without payments set up.
		expect(types.filter((t) => t.pricing === 'free' && !t.accessCode)).toHaveLength(1);
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

	it('on request, comes with sample people, talks, dots, an agenda and a harvest', async () => {
		const admin = actorOf(await makeUser({ admin: true }));
		const event = await loadDemoEvent(admin.id, Temporal.PlainDate.from('2030-01-02'));
		await loadDemoSamples(admin, event, 'http://t');
		const ana = SAMPLE_PEOPLE[0];
		const [user] = await db().select().from(schema.users).where(eq(schema.users.email, ana.email));
		// Everyone has a ticket; others see the name they chose.
		const tickets = await db()
			.select()
			.from(schema.tickets)
			.where(eq(schema.tickets.eventId, event.id));
		expect(tickets).toHaveLength(SAMPLE_PEOPLE.length);
		expect((await shownNames(event.id, [user.id])).get(user.id)).toBe(ana.shown);
		const rounds = await listRounds(event.id);
		expect(rounds.map((r) => r.phase)).toEqual(['scheduled', 'voting']);
		const board = await marketplaceBoard(event.id);
		const dots = board.rounds.flatMap((r) => r.proposals).reduce((n, p) => n + p.total, 0);
		expect(dots).toBeGreaterThan(0);
		const harvests = await db().select().from(schema.harvestItems);
		expect(harvests.length).toBeGreaterThanOrEqual(2);
		const talks = await db().select().from(schema.talks).where(eq(schema.talks.eventId, event.id));
		expect(talks.map((t) => t.status)).toEqual(['accepted', 'accepted']);
		// Each sample person can sign in by a link read in the outbox.
		const mail = await inbox(ana.email);
		expect(mail.length).toBeGreaterThan(0);
	});

	it('loading it twice gives the same event', async () => {
		const today = Temporal.PlainDate.from('2026-11-22');
		const a = await loadDemoEvent(null, today);
		const b = await loadDemoEvent(null, today);
		expect(b.id).toBe(a.id);
	});
});
