import { describe, expect, it } from 'vitest';
import { readCsv, HOSTILE, defused } from '../../../../tests/fixtures/csv';
import { useTestDb } from '../../../../tests/fixtures/db';
import { domainError } from '../../../../tests/fixtures/domain-error';
import {
	actorOf,
	makeEvent,
	makeTicketType,
	makeUser,
	orderInput
} from '../../../../tests/fixtures/factories';
import { orderAndConfirm } from '../../../../tests/fixtures/mailbox';
import { formulaSafe, toCsv } from '../core/csv';
import {
	attendeesCsv,
	cateringCsv,
	listOrders,
	ordersCsv,
	ticketsCsv,
	waitingListCsv
} from './attendees';
import { cancelOrder } from './cancellations';
import { checkIn } from './checkin';
import { joinWaitingList } from './waitlist';

useTestDb();

const DIETARY = ['Vegan', '  vegan ', '=1+1', 'No nuts, please', '', '', '@SUM(A1)', ''];
const ACCESS = [
	'Step-free "access"',
	'',
	'',
	'',
	'step-free "ACCESS"',
	'',
	'',
	'Hearing loop\nfront row'
];

/** A sold-out two-day event whose attendees and waiting list have hostile names. */
async function soldOut() {
	const { event, organiser } = await makeEvent({
		capacity: HOSTILE.length,
		startDate: '2027-06-24',
		endDate: '2027-06-25'
	});
	const type = await makeTicketType(organiser, event.id, { name: 'Day, "full" =pass' });
	for (const [i, name] of HOSTILE.entries()) {
		await orderAndConfirm(
			event.id,
			orderInput(type.id, {
				attendeeName: name,
				attendeeEmail: `person-${i}-${event.id}@example.org`,
				dietary: DIETARY[i],
				access: ACCESS[i]
			})
		);
	}
	for (const name of HOSTILE.slice(0, 2)) {
		await joinWaitingList(null, event.id, {
			ticketTypeId: type.id,
			name: `${name} waits`,
			email: `wait-${HOSTILE.indexOf(name)}-${event.id}@example.org`
		});
	}
	const orders = await listOrders(organiser, event.id);
	const byName = (name: string) => orders.find((x) => x.order.attendeeName === name)!;
	// One cancelled (its seat goes to the first person waiting), one at the door.
	await cancelOrder(organiser, event.id, byName(HOSTILE[6]).order.id);
	await checkIn(organiser, event.id, byName(HOSTILE[2]).ticket!.code);
	return { event, organiser, type, byName };
}

describe('CSV', () => {
	it('defuses formulas and leaves other text alone', () => {
		expect(HOSTILE.map(formulaSafe)).toEqual(HOSTILE.map(defused));
		expect(formulaSafe(null)).toBe('');
		expect(formulaSafe(new Date('2027-06-24T09:00:00Z'))).toBe('2027-06-24T09:00:00.000Z');
		const text = toCsv(['name'], [[HOSTILE[2]], [HOSTILE[3]]]);
		expect(text.startsWith('\uFEFFname\r\n')).toBe(true);
		expect(readCsv(text).map((r) => r.name)).toEqual([HOSTILE[2], defused(HOSTILE[3])]);
	});
});

describe('ticketing exports', () => {
	it('orders: every order and its state round-trips', async () => {
		const { event, organiser } = await soldOut();
		const rows = readCsv(await ordersCsv(organiser, event.id));
		expect(rows.map((r) => r.name).sort()).toEqual(HOSTILE.map(defused).sort());
		expect(rows.every((r) => r['ticket type'] === 'Day, "full" =pass')).toBe(true);
		const cancelled = rows.find((r) => r.name === defused(HOSTILE[6]))!;
		expect(cancelled.status).not.toBe('paid');
		expect(cancelled['cancelled at']).not.toBe('');
		expect(cancelled['ticket status']).toBe('cancelled');
		expect(rows.filter((r) => r.status === 'paid')).toHaveLength(HOSTILE.length - 1);
	});

	it('attendees: only valid tickets, answers intact', async () => {
		const { event, organiser } = await soldOut();
		const rows = readCsv(await attendeesCsv(organiser, event.id));
		expect(rows.map((r) => r.name).sort()).toEqual(
			HOSTILE.filter((n) => n !== HOSTILE[6])
				.map(defused)
				.sort()
		);
		expect(rows.find((r) => r.name === defused(HOSTILE[2]))!['dietary needs']).toBe("'=1+1");
	});

	it('tickets: every ticket with its check-in and who scanned it', async () => {
		const { event, organiser } = await soldOut();
		const rows = readCsv(await ticketsCsv(organiser, event.id));
		expect(rows).toHaveLength(HOSTILE.length);
		const atDoor = rows.filter((r) => r['checked in at']);
		expect(atDoor.map((r) => r.name)).toEqual([HOSTILE[2]]);
		expect(atDoor[0]['checked in by']).toBe('Organiser');
		expect(rows.find((r) => r.name === defused(HOSTILE[6]))!.status).toBe('cancelled');
	});

	it('waiting list: queue order, names intact, the offer shown', async () => {
		const { event, organiser } = await soldOut();
		const rows = readCsv(await waitingListCsv(organiser, event.id));
		expect(rows.map((r) => [r.position, r.name, r.status])).toEqual([
			['1', `${HOSTILE[0]} waits`, 'offered'],
			['2', `${HOSTILE[1]} waits`, 'waiting']
		]);
		expect(rows[0]['offer expires at']).not.toBe('');
	});

	it('catering: needs counted per day over valid tickets', async () => {
		const { event, organiser } = await soldOut();
		const rows = readCsv(await cateringCsv(organiser, event.id));
		const day = (date: string) => rows.filter((r) => r.day === date);
		for (const date of ['2027-06-24', '2027-06-25']) {
			const counts = Object.fromEntries(day(date).map((r) => [`${r.kind}:${r.need}`, r.people]));
			expect(counts).toEqual({
				'tickets:': String(HOSTILE.length - 1),
				'dietary:Vegan': '2',
				"dietary:'=1+1": '1',
				'dietary:No nuts, please': '1',
				'access:Step-free "access"': '2',
				'access:Hearing loop front row': '1'
			});
		}
		// The cancelled ticket's needs are gone with it.
		expect(rows.some((r) => r.need.includes('SUM'))).toBe(false);
	});

	it('only organisers may download them', async () => {
		const { event } = await soldOut();
		const stranger = actorOf(await makeUser());
		for (const run of [ordersCsv, ticketsCsv, waitingListCsv, cateringCsv, attendeesCsv]) {
			expect((await domainError(() => run(stranger, event.id))).kind).toBe('forbidden');
		}
	});
});
