import { describe, expect, it } from 'vitest';
import { useTestDb } from '../../../../tests/fixtures/db';
import { daysOf, makeEvent } from '../../../../tests/fixtures/factories';
import { eventCalendar } from './calendar';
import { addBlock, listSchedule } from '../events/schedule';

useTestDb();

/** The VEVENTs of an iCalendar text, each as its unfolded property lines. */
function vevents(ics: string): Record<string, string>[] {
	const unfolded = ics.replace(/\r\n[ \t]/g, '');
	return unfolded
		.split('BEGIN:VEVENT')
		.slice(1)
		.map((chunk) => {
			const props: Record<string, string> = {};
			for (const line of chunk.split('\r\n')) {
				const at = line.indexOf(':');
				if (at > 0) props[line.slice(0, at).split(';')[0]] = line.slice(at + 1);
			}
			return props;
		});
}

describe('event calendar', () => {
	it('has one entry per day from its first block to its last, in UTC, with the venue', async () => {
		const { event, organiser } = await makeEvent({
			timeZone: 'Europe/London',
			startDate: '2027-06-24',
			endDate: '2027-06-25',
			venue: 'Senate House',
			address: 'Malet Street'
		});
		const [d1] = await daysOf(event.id);
		await addBlock(organiser, event.id, {
			dayId: d1.id,
			kind: 'plenary',
			title: 'Opening',
			start: '09:00',
			end: '09:30',
			roomId: null
		});
		await addBlock(organiser, event.id, {
			dayId: d1.id,
			kind: 'social',
			title: 'Dinner',
			start: '18:00',
			end: '20:00',
			roomId: null
		});
		const ics = eventCalendar(event, await listSchedule(event.id), 'https://cs.example');
		expect(ics.startsWith('BEGIN:VCALENDAR')).toBe(true);
		const [first, second] = vevents(ics);
		expect(first.DTSTART).toBe('20270624T080000Z');
		expect(first.DTEND).toBe('20270624T190000Z');
		expect(first.LOCATION).toBe('Senate House\\, Malet Street');
		expect(first.URL).toBe(`https://cs.example/e/${event.slug}`);
		// A day without blocks is an all-day entry.
		expect(second.DTSTART).toBe('20270625');
		expect(first.UID).not.toBe(second.UID);
	});
});
