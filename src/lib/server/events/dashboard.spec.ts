import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { useTestDb } from '../../../../tests/fixtures/db';
import { domainError } from '../../../../tests/fixtures/domain-error';
import {
	actorOf,
	callInput,
	grantRole,
	makeEvent,
	makeTalk,
	makeTalkEvent,
	makeTicketType,
	makeUser,
	orderInput
} from '../../../../tests/fixtures/factories';
import { votingRound } from '../../../../tests/fixtures/marketplace';
import { castDot } from '../marketplace/dots';
import { decideTalk } from '../talks/review';
import { saveCall } from '../talks/talks';
import { checkIn } from '../tickets/checkin';
import { listOrders } from '../tickets/attendees';
import { startOrder } from '../tickets/orders';
import { scheduledEvent } from '../../../../tests/fixtures/feeds';
import { checkInto } from '../agenda/attendance';
import { publishedAgenda } from '../agenda/grid';
import { db, schema } from '../db';
import { eventDashboard } from './dashboard';

useTestDb();

describe('event dashboard', () => {
	it('has the seats bar before anything is sold, and empty charts', async () => {
		const { event, organiser } = await makeEvent({ capacity: 30 });
		const dash = await eventDashboard(organiser, event.id);
		expect(dash.seats).toMatchObject({ capacity: 30, sold: 0, held: 0, offered: 0, waiting: 0 });
		expect(dash.tickets).toEqual([]);
		expect(dash.checkIns).toEqual([]);
		expect(dash.talks).toEqual([]);
		expect(dash.round).toEqual({ current: null });
		expect(dash.ticketsByType).toEqual([]);
		expect(dash.revenue).toEqual([]);
		expect(dash.spread).toEqual([]);
		expect(dash.rooms).toEqual({ now: null });
	});

	it('counts tickets over time, check-ins by hour, talks by state and dots of the voting round', async () => {
		const { event, organiser, attendees, proposals } = await votingRound({
			attendees: 3,
			proposals: 2
		});
		await castDot(attendees[0], event.id, proposals[1].id);
		await castDot(attendees[1], event.id, proposals[1].id);
		await castDot(attendees[2], event.id, proposals[0].id);
		const [first] = await listOrders(organiser, event.id);
		await checkIn(organiser, event.id, first.ticket!.code);
		await saveCall(organiser, event.id, callInput(event.timeZone));
		const talk = await makeTalk(event.id, { title: 'A talk' });
		await makeTalk(event.id, { title: 'Another' });
		await decideTalk(organiser, event.id, talk.talk.id, 'accepted');

		const dash = await eventDashboard(organiser, event.id);
		expect(dash.seats!.sold).toBe(3);
		expect(dash.tickets!.at(-1)!.count).toBe(3);
		expect(dash.tickets![0].at).toMatch(/^\d{4}-\d{2}-\d{2}$/);
		expect(dash.checkIns!.map((x) => x.count)).toEqual([1]);
		expect(dash.checkIns![0].at).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:00$/);
		expect(Object.fromEntries(dash.talks!.map((x) => [x.status, x.count]))).toEqual({
			accepted: 1,
			submitted: 1
		});
		expect(dash.round!.current!.proposals.map((p) => [p.id, p.dots])).toEqual([
			[proposals[1].id, 2],
			[proposals[0].id, 1]
		]);
	});

	it('shows each part only to those who may see its list', async () => {
		const { event, organiser } = await makeTalkEvent();
		const type = await makeTicketType(organiser, event.id);
		const buyer = actorOf(await makeUser());
		await startOrder(buyer, event.id, orderInput(type.id), 'http://t');
		const reviewer = actorOf(await makeUser());
		await grantRole(event.id, reviewer.id, 'reviewer');
		const asReviewer = await eventDashboard(reviewer, event.id);
		expect(asReviewer.seats).toBeNull();
		expect(asReviewer.tickets).toBeNull();
		expect(asReviewer.checkIns).toBeNull();
		expect(asReviewer.round).toBeNull();
		expect(asReviewer.talks).toEqual([]);
		const facilitator = actorOf(await makeUser());
		await grantRole(event.id, facilitator.id, 'facilitator');
		const asFacilitator = await eventDashboard(facilitator, event.id);
		expect(asFacilitator.seats).toBeNull();
		expect(asFacilitator.checkIns).toEqual([]);
		expect(asFacilitator.round).toEqual({ current: null });
		expect((await domainError(() => eventDashboard(buyer, event.id))).kind).toBe('forbidden');
	});

	it('revenue per type counts paid orders only; pay-what-you-can amounts give their spread', async () => {
		const { event, organiser } = await makeEvent({ capacity: 30 });
		const fixed = await makeTicketType(organiser, event.id, {
			name: 'Standard',
			pricing: 'fixed',
			price: 2000
		});
		const pwyc = await makeTicketType(organiser, event.id, {
			name: 'Solidarity',
			pricing: 'pay_what_you_can',
			minPrice: 500,
			suggestedPrice: 1500,
			maxPrice: 5000
		});
		// Orders as the payment webhook leaves them (paid, refunded, disputed, held).
		const order = (typeId: number, amountCents: number, status: 'paid' | 'refunded' | 'held') => ({
			eventId: event.id,
			ticketTypeId: typeId,
			attendeeName: 'Someone',
			attendeeEmail: `someone-${amountCents}-${status}@example.org`,
			answers: { dietary: '', access: '', publicName: '' },
			amountCents,
			currency: 'EUR',
			status,
			holdsSeat: status !== 'refunded'
		});
		await db()
			.insert(schema.orders)
			.values([
				order(fixed.id, 2000, 'paid'),
				order(fixed.id, 2000, 'paid'),
				order(fixed.id, 2000, 'refunded'),
				order(pwyc.id, 700, 'paid'),
				order(pwyc.id, 3000, 'paid'),
				order(pwyc.id, 1500, 'paid'),
				order(pwyc.id, 1500, 'paid'),
				order(pwyc.id, 4900, 'held')
			]);
		const dash = await eventDashboard(organiser, event.id);
		expect(dash.revenue!.map((x) => [x.name, x.cents, x.orders, x.currency])).toEqual([
			['Standard', 4000, 2, 'EUR'],
			['Solidarity', 6700, 4, 'EUR']
		]);
		expect(dash.spread).toHaveLength(1);
		expect(dash.spread![0]).toMatchObject({
			name: 'Solidarity',
			amounts: [700, 1500, 1500, 3000],
			median: 1500,
			minCents: 500,
			suggestedCents: 1500,
			maxCents: 5000
		});
		// Someone who may not see orders sees none of it.
		const reviewer = actorOf(await makeUser());
		await grantRole(event.id, reviewer.id, 'reviewer');
		const asReviewer = await eventDashboard(reviewer, event.id);
		expect([asReviewer.revenue, asReviewer.spread, asReviewer.ticketsByType]).toEqual([
			null,
			null,
			null
		]);
	});

	it('tickets over time per type are running totals on the same days', async () => {
		const { event, organiser } = await makeEvent({ capacity: 30 });
		const a = await makeTicketType(organiser, event.id, { name: 'A', quota: 10 });
		const b = await makeTicketType(organiser, event.id, { name: 'B' });
		await makeTicketType(organiser, event.id, { name: 'Unsold' });
		for (const type of [a, a, b]) {
			const buyer = actorOf(await makeUser());
			await startOrder(buyer, event.id, orderInput(type.id), 'http://t');
		}
		// Move one of A's tickets to the day before, on the event's clock.
		const [earliest] = await db()
			.select()
			.from(schema.tickets)
			.where(eq(schema.tickets.ticketTypeId, a.id))
			.limit(1);
		await db()
			.update(schema.tickets)
			.set({ createdAt: new Date(Date.now() - 86_400_000) })
			.where(eq(schema.tickets.id, earliest.id));
		const { ticketsByType } = await eventDashboard(organiser, event.id);
		expect(ticketsByType!.map((x) => [x.name, x.quota, x.points.map((p) => p.count)])).toEqual([
			['A', 10, [1, 2]],
			['B', null, [0, 1]]
		]);
		expect(ticketsByType![0].points.map((p) => p.at)).toEqual(
			ticketsByType![1].points.map((p) => p.at)
		);
	});

	it("'I'm here' per room for the block on now, against the room's places", async () => {
		const { event, organiser, attendees } = await scheduledEvent();
		const sessions = await publishedAgenda(event.id);
		const block = sessions[0].block;
		const during = new Date(block.startsAt.getTime() + 60_000);
		const inBlock = sessions.filter((x) => x.block.id === block.id);
		await checkInto(attendees[0], event.id, inBlock[0].id, during);
		await checkInto(attendees[1], event.id, inBlock[0].id, during);
		const dash = await eventDashboard(organiser, event.id, during);
		expect(dash.rooms!.now!.block.id).toBe(block.id);
		expect(dash.rooms!.now!.rooms.map((x) => [x.sessionId, x.count, x.capacity])).toEqual(
			inBlock
				.sort((x, y) => x.room.name.localeCompare(y.room.name) || x.id - y.id)
				.map((x) => [x.id, x.id === inBlock[0].id ? 2 : 0, x.room.capacity])
		);
		// Between blocks there is nothing on now.
		const after = new Date(Math.max(...sessions.map((x) => x.block.endsAt.getTime())) + 1);
		expect((await eventDashboard(organiser, event.id, after)).rooms).toEqual({ now: null });
	});
});
