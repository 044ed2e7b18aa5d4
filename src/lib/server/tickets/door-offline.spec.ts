import { describe, expect, it } from 'vitest';
import { and, eq } from 'drizzle-orm';
import { db, schema } from '../db';
import { useTestDb } from '../../../../tests/fixtures/db';
import { domainError } from '../../../../tests/fixtures/domain-error';
import {
	actorOf,
	grantRole,
	makeEvent,
	makeTicketType,
	makeUser,
	orderInput
} from '../../../../tests/fixtures/factories';
import { orderAndConfirm } from '../../../../tests/fixtures/mailbox';
import { listEventActivity } from '../core/activity';
import { eventDashboard } from '../events/dashboard';
import { cancelOrder } from './cancellations';
import { checkIn, checkInCounts } from './checkin';
import {
	codeHash,
	doorConflicts,
	doorList,
	revokeDoorKey,
	syncDoorScans,
	type OfflineScan
} from './door-offline';

useTestDb();

async function ticketed(names = ['Grace Hopper']) {
	const { event, organiser } = await makeEvent();
	const type = await makeTicketType(organiser, event.id);
	const tickets = [];
	for (const attendeeName of names) {
		const r = await orderAndConfirm(event.id, orderInput(type.id, { attendeeName }));
		if (r.kind !== 'ticket') throw new Error('expected a ticket');
		tickets.push({ ...r.ticket, orderId: r.order.id });
	}
	const facilitator = actorOf(await makeUser());
	await grantRole(event.id, facilitator.id, 'facilitator');
	return { event, organiser, facilitator, type, tickets, ticket: tickets[0] };
}

const scansOf = async (eventId: number) =>
	db().select().from(schema.doorScans).where(eq(schema.doorScans.eventId, eventId));

const at = (minute: number) => new Date(Date.UTC(2026, 6, 1, 9, minute));

describe('the door offline', () => {
	it('downloads hashed codes and only what the door shows, for door people only', async () => {
		const { event, organiser, facilitator, ticket, type } = await ticketed();
		const list = await doorList(facilitator, event.id);
		expect(list.tickets).toEqual([
			{ h: codeHash(list.key, ticket.code), name: 'Grace Hopper', ticketType: type.name, in: null }
		]);
		// Never the code in clear, nor the e-mail address.
		expect(JSON.stringify(list)).not.toContain(ticket.code);
		expect(JSON.stringify(list)).not.toContain(ticket.email);
		// The same key for every door until it is revoked.
		expect((await doorList(organiser, event.id)).keyId).toBe(list.keyId);

		const reviewer = actorOf(await makeUser());
		await grantRole(event.id, reviewer.id, 'reviewer');
		const stranger = actorOf(await makeUser());
		expect((await domainError(() => doorList(reviewer, event.id))).kind).toBe('forbidden');
		expect((await domainError(() => doorList(stranger, event.id))).kind).toBe('forbidden');
		expect((await domainError(() => doorList(null, event.id))).kind).toBe('unauthenticated');
	});

	it('a batch replayed 1, 2 and 10 times (10 at once) applies once', async () => {
		const { event, organiser, facilitator, tickets } = await ticketed(['Ada', 'Bob', 'Cy']);
		const { keyId, key } = await doorList(facilitator, event.id);
		const batch: OfflineScan[] = tickets.map((t, i) => ({
			id: `phone-1:${i}`,
			h: codeHash(key, t.code),
			door: 'Main entrance',
			device: 'phone-1',
			at: at(i)
		}));
		const first = await syncDoorScans(facilitator, event.id, keyId, batch);
		expect(first.map((r) => r.outcome)).toEqual(['checked_in', 'checked_in', 'checked_in']);
		const again = await syncDoorScans(facilitator, event.id, keyId, batch);
		expect(again).toEqual(first);
		const tenAtOnce = await Promise.all(
			Array.from({ length: 10 }, () => syncDoorScans(facilitator, event.id, keyId, batch))
		);
		for (const answer of tenAtOnce) expect(answer).toEqual(first);

		expect(await checkInCounts(facilitator, event.id)).toEqual({ sold: 3, checkedIn: 3 });
		const scans = await scansOf(event.id);
		expect(scans).toHaveLength(3);
		expect(scans.every((s) => s.outcome === 'admitted' && s.door === 'Main entrance')).toBe(true);
		const activity = await listEventActivity(organiser, event.id);
		expect(activity.filter((a) => a.action === 'ticket.checked_in')).toHaveLength(3);
		expect(await doorConflicts(facilitator, event.id)).toEqual([]);
		// The admission keeps the time it was made at the door, not the time it was sent.
		const [t] = await db()
			.select()
			.from(schema.tickets)
			.where(eq(schema.tickets.id, tickets[0].id));
		expect(t.checkedInAt).toEqual(at(0));
		expect(t.checkedInDoor).toBe('Main entrance');
		expect(t.checkedInDevice).toBe('phone-1');

		// Negative control: the same admissions sent with new ids are not recognised as replays.
		const renamed = batch.map((s) => ({ ...s, id: `${s.id}:again` }));
		const replayed = await syncDoorScans(facilitator, event.id, keyId, renamed);
		expect(replayed.map((r) => r.outcome)).toEqual(['conflict', 'conflict', 'conflict']);
	});

	it('one ticket admitted at two offline doors: one admission, one conflict; the earlier scan wins', async () => {
		const { event, organiser, facilitator, ticket } = await ticketed();
		const { keyId, key } = await doorList(facilitator, event.id);
		// The side door scanned later but sends first; the main entrance sends its earlier scan next.
		const side = await syncDoorScans(facilitator, event.id, keyId, [
			{
				id: 'side:1',
				h: codeHash(key, ticket.code),
				door: 'Side door',
				device: 'phone-2',
				at: at(5)
			}
		]);
		expect(side[0]).toMatchObject({ outcome: 'checked_in', conflict: false });
		const main = await syncDoorScans(organiser, event.id, keyId, [
			{
				id: 'main:1',
				h: codeHash(key, ticket.code),
				door: 'Main entrance',
				device: 'phone-1',
				at: at(2)
			}
		]);
		expect(main[0]).toMatchObject({ outcome: 'checked_in', door: 'Main entrance', conflict: true });

		expect(await checkInCounts(organiser, event.id)).toEqual({ sold: 1, checkedIn: 1 });
		const [t] = await db().select().from(schema.tickets).where(eq(schema.tickets.id, ticket.id));
		expect(t.checkedInAt).toEqual(at(2));
		expect(t.checkedInDoor).toBe('Main entrance');
		const conflicts = await doorConflicts(organiser, event.id);
		expect(conflicts).toEqual([
			expect.objectContaining({
				reason: 'conflict',
				name: 'Grace Hopper',
				door: 'Side door',
				scannedAt: at(5),
				firstDoor: 'Main entrance',
				firstAt: at(2)
			})
		]);
		const activity = await listEventActivity(organiser, event.id);
		expect(activity.filter((a) => a.action === 'ticket.check_in_conflict')).toHaveLength(1);

		// A third door, later still, is another conflict; the admission stays the main entrance's.
		const third = await syncDoorScans(facilitator, event.id, keyId, [
			{ id: 'bar:1', h: codeHash(key, ticket.code), door: 'Bar', device: 'phone-3', at: at(9) }
		]);
		expect(third[0]).toMatchObject({ outcome: 'conflict', door: 'Main entrance', conflict: true });
		expect(await doorConflicts(organiser, event.id)).toHaveLength(2);
	});

	it('an offline admission of a ticket cancelled meanwhile is reported, not counted', async () => {
		const { event, organiser, facilitator, ticket } = await ticketed();
		const { keyId, key } = await doorList(facilitator, event.id);
		await cancelOrder(organiser, event.id, ticket.orderId);
		const [r] = await syncDoorScans(facilitator, event.id, keyId, [
			{ id: 'c:1', h: codeHash(key, ticket.code), door: 'Main entrance', device: 'p', at: at(1) }
		]);
		expect(r.outcome).toBe('cancelled');
		expect((await doorConflicts(organiser, event.id)).map((c) => c.reason)).toEqual(['cancelled']);
		expect(await checkInCounts(organiser, event.id)).toEqual({ sold: 0, checkedIn: 0 });
	});

	it('refuses a door key of another event or a revoked one; door people without rights cannot sync', async () => {
		const a = await ticketed();
		const b = await ticketed();
		const listA = await doorList(a.facilitator, a.event.id);
		const keyA = listA.keyId;
		const keyB = (await doorList(b.facilitator, b.event.id)).keyId;
		const scanWith = (key: string) => ({
			id: 'x:1',
			h: codeHash(key, a.ticket.code),
			door: 'Main',
			device: 'p',
			at: at(1)
		});
		const scan = scanWith(listA.key);
		expect(
			(await domainError(() => syncDoorScans(a.facilitator, a.event.id, keyB, [scan]))).kind
		).toBe('forbidden');

		// Only organisers revoke; after that the old key is refused and a new list has a new key.
		expect((await domainError(() => revokeDoorKey(a.facilitator, a.event.id))).kind).toBe(
			'forbidden'
		);
		await revokeDoorKey(a.organiser, a.event.id);
		expect(
			(await domainError(() => syncDoorScans(a.facilitator, a.event.id, keyA, [scan]))).kind
		).toBe('forbidden');
		const fresh = await doorList(a.facilitator, a.event.id);
		expect(fresh.keyId).not.toBe(keyA);
		expect(fresh.tickets[0].h).toBe(codeHash(fresh.key, a.ticket.code));
		expect(
			(await syncDoorScans(a.facilitator, a.event.id, fresh.keyId, [scanWith(fresh.key)]))[0]
				.outcome
		).toBe('checked_in');

		const stranger = actorOf(await makeUser());
		expect(
			(await domainError(() => syncDoorScans(stranger, a.event.id, fresh.keyId, [scan]))).kind
		).toBe('forbidden');
		// Nothing of the refused batches reached event A's door or touched event B.
		expect(await scansOf(a.event.id)).toHaveLength(1);
		expect(await scansOf(b.event.id)).toHaveLength(0);
	});

	it('the same ticket scanned at two doors at once is admitted once, each door named', async () => {
		const { event, organiser, facilitator, tickets } = await ticketed(['Ada', 'Bob', 'Cy']);
		const [ada, bob, cy] = tickets;
		const results = await Promise.all([
			checkIn(facilitator, event.id, ada.code, { door: 'Main entrance', device: 'p1' }),
			checkIn(organiser, event.id, ada.code, { door: 'Side door', device: 'p2' })
		]);
		expect(results.map((r) => r.status).sort()).toEqual(['already', 'checked_in']);
		// Control: two different tickets at the two doors at once both go in.
		const control = await Promise.all([
			checkIn(facilitator, event.id, bob.code, { door: 'Main entrance' }),
			checkIn(organiser, event.id, cy.code, { door: 'Side door' })
		]);
		expect(control.map((r) => r.status)).toEqual(['checked_in', 'checked_in']);
		const admitted = await db()
			.select()
			.from(schema.doorScans)
			.where(and(eq(schema.doorScans.eventId, event.id), eq(schema.doorScans.outcome, 'admitted')));
		expect(admitted).toHaveLength(3);
		const winner = results.findIndex((r) => r.status === 'checked_in');
		const [t] = await db().select().from(schema.tickets).where(eq(schema.tickets.id, ada.id));
		expect(t.checkedInDoor).toBe(winner === 0 ? 'Main entrance' : 'Side door');
	});

	it('the dashboard counts check-ins per door and shows the conflicts, to door people only', async () => {
		const { event, organiser, facilitator, tickets } = await ticketed(['Ada', 'Bob', 'Cy']);
		const empty = await eventDashboard(organiser, event.id);
		expect(empty.doors).toEqual([]);
		expect(empty.doorConflicts).toEqual([]);
		await checkIn(facilitator, event.id, tickets[0].code, { door: 'Side door' });
		await checkIn(facilitator, event.id, tickets[1].code, { door: 'Main entrance' });
		await checkIn(organiser, event.id, tickets[2].code, { door: '  Main   entrance ' });
		const { keyId, key } = await doorList(facilitator, event.id);
		await syncDoorScans(facilitator, event.id, keyId, [
			{ id: 'late', h: codeHash(key, tickets[0].code), door: 'Bar', device: 'p', at: new Date() }
		]);
		const dash = await eventDashboard(facilitator, event.id);
		expect(dash.doors).toEqual([
			{ door: 'Main entrance', count: 2 },
			{ door: 'Side door', count: 1 }
		]);
		expect(dash.doorConflicts!.map((c) => [c.name, c.door, c.firstDoor])).toEqual([
			['Ada', 'Bar', 'Side door']
		]);
		const reviewer = actorOf(await makeUser());
		await grantRole(event.id, reviewer.id, 'reviewer');
		const asReviewer = await eventDashboard(reviewer, event.id);
		expect(asReviewer.doors).toBeNull();
		expect(asReviewer.doorConflicts).toBeNull();
	});
});
