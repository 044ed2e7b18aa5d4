import { describe, expect, it } from 'vitest';
import { useTestDb } from '../../../../tests/fixtures/db';
import { harvestSessions } from '../../../../tests/fixtures/harvest';
import { attend } from '../agenda/attendance';
import { myEventDay } from './my-event';

useTestDb();

describe("a ticket holder's event page", () => {
	it('shows their ticket, now and next with rooms, and their agenda; nothing without a ticket', async () => {
		const f = await harvestSessions({ attendees: 2 });
		const { event, sessions, blocks, outsider, facilitator } = f;
		const [ana] = f.attendees;
		await attend(ana, event.id, sessions[1].id);
		const block = blocks[0];
		const before = new Date(block.startsAt.getTime() - 60_000);
		const during = new Date(block.startsAt.getTime() + 60_000);

		const early = await myEventDay(ana, event.id, before);
		expect(early?.ticket.code).toMatch(/^[a-z2-9]{20}$/);
		expect(early?.now).toEqual([]);
		expect(early?.next.map((b) => b.id)).toEqual([block.id]);
		// Every session of the block, with its room.
		expect(early?.next[0].sessions.map((x) => x.room).sort()).toEqual(['Room 1', 'Room 2']);
		// Her agenda: the session she marked and the one she convenes (proposal 0).
		expect(early?.agenda.map((x) => x.id).sort()).toEqual(sessions.map((x) => x.id).sort());
		expect(early?.round).toBeNull();

		const now = await myEventDay(ana, event.id, during);
		expect(now?.now.map((b) => b.id)).toEqual([block.id]);
		expect(now?.next).toEqual([]);

		// Without a ticket (a stranger, or the team) the page is the public one.
		expect(await myEventDay(outsider, event.id, during)).toBeNull();
		expect(await myEventDay(facilitator, event.id, during)).toBeNull();
		expect(await myEventDay(null, event.id, during)).toBeNull();
	});
});
