import { describe, expect, it } from 'vitest';
import { m } from '$lib/paraglide/messages';
import { domainError } from '../../../../tests/fixtures/domain-error';
import { onPostgres, useTestDb } from '../../../../tests/fixtures/db';
import { daysOf, makeEvent } from '../../../../tests/fixtures/factories';
import { addRoom } from './rooms';
import { addBlock, listSchedule, updateBlock } from './schedule';

useTestDb();

const block = (dayId: number, start: string, end: string, title = 'Block') => ({
	dayId,
	kind: 'session_round' as const,
	title,
	start,
	end,
	roomId: null
});

async function fieldError(run: () => Promise<unknown>) {
	const e = await domainError(run);
	expect(e.kind).toBe('invalid');
	return e.fields;
}

describe('days and blocks', () => {
	it('stores block times as UTC instants of the wall-clock time in the event zone', async () => {
		const { event, organiser } = await makeEvent({
			timeZone: 'Europe/London',
			startDate: '2027-06-24',
			endDate: '2027-06-24'
		});
		const [day] = await daysOf(event.id);
		const b = await addBlock(organiser, event.id, block(day.id, '09:00', '20:00'));
		expect(b.startsAt.toISOString()).toBe('2027-06-24T08:00:00.000Z'); // BST
		expect(b.endsAt.toISOString()).toBe('2027-06-24T19:00:00.000Z');
	});

	it('a day that crosses a DST change keeps each block at its wall-clock time', async () => {
		// Europe/London springs forward at 01:00 on 28 March 2027.
		const { event, organiser } = await makeEvent({
			timeZone: 'Europe/London',
			startDate: '2027-03-28',
			endDate: '2027-03-28'
		});
		const [day] = await daysOf(event.id);
		const night = await addBlock(organiser, event.id, block(day.id, '00:00', '03:00', 'Night'));
		expect(night.startsAt.toISOString()).toBe('2027-03-28T00:00:00.000Z');
		expect(night.endsAt.toISOString()).toBe('2027-03-28T02:00:00.000Z'); // only two real hours
	});

	it('refuses an overlap on the same day, naming the block it clashes with', async () => {
		const { event, organiser } = await makeEvent();
		const [day, day2] = await daysOf(event.id);
		await addBlock(organiser, event.id, block(day.id, '09:30', '10:30', 'Lightning talks'));
		const errors = await fieldError(() =>
			addBlock(organiser, event.id, block(day.id, '10:00', '11:00'))
		);
		expect(errors.start).toContain('Lightning talks');
		// Touching ends are fine, and so is the same time on another day.
		await addBlock(organiser, event.id, block(day.id, '10:30', '11:00'));
		await addBlock(organiser, event.id, block(day2.id, '10:00', '11:00'));
		expect((await listSchedule(event.id)).map((d) => d.blocks.length)).toEqual([2, 1]);
	});

	it('editing a block may keep its own time, but not move onto another', async () => {
		const { event, organiser } = await makeEvent();
		const [day] = await daysOf(event.id);
		const a = await addBlock(organiser, event.id, block(day.id, '09:00', '10:00', 'A'));
		await addBlock(organiser, event.id, block(day.id, '10:00', '11:00', 'B'));
		await updateBlock(organiser, event.id, a.id, block(day.id, '09:00', '09:45', 'A'));
		const errors = await fieldError(() =>
			updateBlock(organiser, event.id, a.id, block(day.id, '09:30', '10:30', 'A'))
		);
		expect(errors.start).toContain('B');
	});

	it('refuses an end before the start and a room of another event', async () => {
		const { event, organiser } = await makeEvent();
		const other = await makeEvent();
		const [day] = await daysOf(event.id);
		const foreignRoom = await addRoom(other.organiser, other.event.id, {
			name: 'Elsewhere',
			capacity: 5,
			accessibility: ''
		});
		expect(
			(await fieldError(() => addBlock(organiser, event.id, block(day.id, '10:00', '09:00')))).end
		).toBe(m.error_block_end());
		expect(
			(
				await fieldError(() =>
					addBlock(organiser, event.id, {
						...block(day.id, '10:00', '11:00'),
						roomId: foreignRoom.id
					})
				)
			).roomId
		).toBe(m.error_not_in_event());
	});

	it.runIf(onPostgres())('concurrent overlapping blocks: exactly one is saved', async () => {
		const { event, organiser } = await makeEvent();
		const [day] = await daysOf(event.id);
		const results = await Promise.allSettled(
			Array.from({ length: 10 }, (_, i) =>
				addBlock(organiser, event.id, block(day.id, '14:00', '15:00', `Try ${i}`))
			)
		);
		expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
		expect((await listSchedule(event.id))[0].blocks).toHaveLength(1);
	});
});
