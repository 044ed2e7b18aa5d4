import { asc, eq } from 'drizzle-orm';
import { Temporal } from 'temporal-polyfill';
import type { BlockKind } from '$lib/constants';
import { zonedToInstant } from '$lib/time';
import { logActivity } from '../core/activity';
import { db, schema } from '../db';
import { findEventBySlug, insertEvent, type Event } from './events';
import { defaultTemplates } from '../talks/talks';

// A demo that mirrors the OPEN 2019 Community Gathering: two days 09:00–20:00 at the University
// of London, 150 tickets, five rooms, each day opening with lightning talks and a marketplace.

const DESCRIPTION = `OPEN is an inter-network event for community builders, network organisers and key
connecting members of organisations from a wide range of progressive communities: cooperators,
rebels, mavens, network builders, systems architects and open source developers.

Each day opens with **lightning talks** on new distributed, cooperative, technical and social
projects. Then we co-design the rest of the two days together by **proposing, refining and
voting** on sessions, meet in small groups, and share what we learned with everyone.

Spaces are limited to 150 so the group stays small enough to be effective. Everyone, presenters
included, needs a ticket.`;

const ROOMS = [
	{
		name: 'Beveridge Hall',
		capacity: 150,
		accessibility: 'Step-free entrance from Malet Street; hearing loop.'
	},
	{ name: "Chancellor's Hall", capacity: 60, accessibility: 'Lift to first floor; hearing loop.' },
	{ name: 'Court Room', capacity: 40, accessibility: 'Lift access; fixed seating at the back.' },
	{ name: 'Senate Room', capacity: 30, accessibility: 'Lift access; movable chairs.' },
	{ name: 'Room 349', capacity: 20, accessibility: 'Lift access; small room, can get warm.' }
];

// Everyone needs a ticket, presenters included; solidarity pricing keeps it open to all.
const TICKET_TYPES = [
	{
		name: 'Standard',
		description: 'Both days, lunch and refreshments.',
		pricing: 'fixed' as const,
		priceCents: 6000
	},
	{
		name: 'Solidarity',
		description: 'Pay what you can, for individuals and small co-ops.',
		pricing: 'pay_what_you_can' as const,
		minCents: 1000,
		suggestedCents: 2500,
		maxCents: 6000,
		quota: 40
	},
	{
		name: 'Try it: free community pass',
		description: 'Free, for trying Commonspace as an attendee; no payment set up needed.',
		pricing: 'free' as const,
		quota: 20
	},
	{
		name: 'Presenter and volunteer',
		description: 'For lightning-talk presenters and volunteers; ask the organisers for the code.',
		pricing: 'free' as const,
		accessCode: 'OPEN-CREW',
		quota: 30
	}
];

type Plan = [string, string, BlockKind, string][];

const DAY_ONE: Plan = [
	['09:00', '09:30', 'plenary', 'Arrival and opening circle'],
	['09:30', '10:30', 'lightning_talks', 'Lightning talks'],
	['10:30', '11:15', 'marketplace', 'Marketplace: propose, refine and vote'],
	['11:15', '11:30', 'break', 'Coffee'],
	['11:30', '12:30', 'session_round', 'Session round 1'],
	['12:30', '13:30', 'break', 'Lunch'],
	['13:30', '14:30', 'session_round', 'Session round 2'],
	['14:30', '14:45', 'break', 'Tea'],
	['14:45', '15:45', 'session_round', 'Session round 3'],
	['15:45', '16:45', 'plenary', 'Harvest: what did the groups find?'],
	['16:45', '17:30', 'marketplace', 'Marketplace for tomorrow'],
	['18:00', '20:00', 'social', 'Dinner and drinks']
];

const DAY_TWO: Plan = [
	['09:00', '09:30', 'plenary', 'Check-in circle'],
	['09:30', '10:30', 'lightning_talks', 'Lightning talks'],
	['10:30', '11:15', 'marketplace', 'Marketplace: refine and vote'],
	['11:15', '11:30', 'break', 'Coffee'],
	['11:30', '12:30', 'session_round', 'Session round 4'],
	['12:30', '13:30', 'break', 'Lunch'],
	['13:30', '14:30', 'session_round', 'Session round 5'],
	['14:30', '14:45', 'break', 'Tea'],
	['14:45', '15:45', 'session_round', 'Session round 6'],
	['15:45', '17:00', 'plenary', 'Closing harvest and next steps'],
	['17:00', '20:00', 'social', 'Networking and farewell drinks']
];

/** The Thursday of the last full week of June in the next year that has not reached it yet. */
function nextGatheringDate(today: Temporal.PlainDate): Temporal.PlainDate {
	for (let year = today.year; ; year++) {
		let d = Temporal.PlainDate.from({ year, month: 6, day: 30 });
		while (d.dayOfWeek !== 4 || d.day > 27) d = d.subtract({ days: 1 });
		if (Temporal.PlainDate.compare(d, today) > 0) return d;
	}
}

/**
 * Create the demo event (a draft the instance admin can publish), or return it if it is there.
 * `organiserId` is made its organiser; without one only the instance admin manages it.
 */
export async function loadDemoEvent(
	organiserId: number | null,
	today = Temporal.Now.plainDateISO()
): Promise<Event> {
	const start = nextGatheringDate(today);
	const slug = `open-${start.year}`;
	const existing = await findEventBySlug(slug);
	if (existing) return existing;
	const timeZone = 'Europe/London';
	return db().transaction(async (tx) => {
		const event = await insertEvent(
			tx,
			{
				name: `OPEN ${start.year} Community Gathering`,
				slug,
				description: DESCRIPTION,
				venue: 'University of London, Senate House',
				address: 'Malet Street, London WC1E 7HU',
				timeZone,
				startDate: start.toString(),
				endDate: start.add({ days: 1 }).toString(),
				capacity: 150
			},
			organiserId
		);
		await tx.insert(schema.rooms).values(ROOMS.map((r) => ({ ...r, eventId: event.id })));
		const days = await tx
			.select()
			.from(schema.days)
			.where(eq(schema.days.eventId, event.id))
			.orderBy(asc(schema.days.date));
		const titles = ['Day 1: connect and co-design', 'Day 2: deepen and harvest'];
		for (const [index, plan] of [DAY_ONE, DAY_TWO].entries()) {
			const day = days[index];
			await tx.update(schema.days).set({ title: titles[index] }).where(eq(schema.days.id, day.id));
			const blocks = await tx
				.insert(schema.blocks)
				.values(
					plan.map(([from, to, kind, title]) => ({
						eventId: event.id,
						dayId: day.id,
						kind,
						title,
						startsAt: zonedToInstant(day.date, from, timeZone),
						endsAt: zonedToInstant(day.date, to, timeZone)
					}))
				)
				.returning();
			// Each morning's marketplace fills that day's three session rounds; day 1's is open for
			// proposals, day 2's is prepared and waits its turn.
			const [round] = await tx
				.insert(schema.rounds)
				.values({
					eventId: event.id,
					title: `${titles[index].split(':')[0]} marketplace`,
					phase: index === 0 ? 'proposing' : 'preparing'
				})
				.returning();
			await tx
				.insert(schema.roundBlocks)
				.values(
					blocks
						.filter((b) => b.kind === 'session_round')
						.map((b) => ({ roundId: round.id, blockId: b.id }))
				);
		}
		await tx
			.update(schema.ticketing)
			.set({ currency: 'GBP' })
			.where(eq(schema.ticketing.eventId, event.id));
		await tx
			.insert(schema.ticketTypes)
			.values(TICKET_TYPES.map((t, position) => ({ ...t, eventId: event.id, position })));
		// OPEN asked for "a short description of your project" by e-mail; here it is a call.
		await tx.insert(schema.talkCalls).values({
			eventId: event.id,
			opensAt: new Date(),
			closesAt: zonedToInstant(start.subtract({ days: 14 }).toString(), '23:59', timeZone),
			talkMinutes: 5,
			perDay: 8,
			summaryMax: 600,
			ticketRule: 'present',
			questions: ['Is your project looking for collaborators? Who would you like to meet?'],
			...defaultTemplates()
		});
		await logActivity(tx, { eventId: event.id, actorId: organiserId, action: 'event.demo_loaded' });
		return event;
	});
}
