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
});
