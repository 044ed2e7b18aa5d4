import { describe, expect, it } from 'vitest';
import { useTestDb } from '../../../../tests/fixtures/db';
import { daysOf, makeEvent } from '../../../../tests/fixtures/factories';
import ICAL from 'ical.js';
import { calendarFile, eventCalendar, talksCalendar } from './calendar';
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

/** Each VEVENT as ical.js reads it, so a line the writer let through shows up as its own property. */
function parsed(ics: string) {
	const calendar = new ICAL.Component(ICAL.parse(ics));
	return calendar.getAllSubcomponents('vevent');
}

describe('hostile text in calendars', () => {
	const hostile = 'Evil\rX-INJECT-TITLE:1';

	it('folds every control character of an event, so no property can be injected', async () => {
		const { event: stored } = await makeEvent();
		// Text as it may sit in a database filled before forms refused control characters.
		const event = {
			...stored,
			name: hostile,
			venue: 'Hall\rX-INJECT-LOCATION:1',
			address: '',
			description: 'First line\r\nSecond\rX-INJECT-DESC:1\u0007 end'
		};
		const ics = eventCalendar(event, await listSchedule(event.id), 'https://cs.example');
		expect(ics).not.toMatch(/\r(?!\n)/);
		expect(ics).not.toMatch(/(?<!\r)\n/);
		expect(ics).not.toMatch(/^X-INJECT/m);
		for (const vevent of parsed(ics)) {
			expect(vevent.getAllProperties().map((p) => p.name)).not.toContain('x-inject-title');
			expect(vevent.getFirstPropertyValue('summary')).toBe('Evil X-INJECT-TITLE:1');
			expect(vevent.getFirstPropertyValue('location')).toBe('Hall X-INJECT-LOCATION:1');
			expect(vevent.getFirstPropertyValue('description')).toBe(
				`https://cs.example/e/${event.slug}\n\nFirst line\nSecond\nX-INJECT-DESC:1  end`
			);
		}
	});

	it('folds them in the talks programme too', () => {
		const ics = talksCalendar(
			{ id: 1, name: 'Gathering', slug: 'gathering', venue: '', address: '' },
			[
				{
					id: 7,
					title: hostile,
					summary: 'ok\u000bX-INJECT-SUMMARY:1',
					presenters: 'Ana\nX-INJECT-NAME:1',
					links: ['https://a.example'],
					startsAt: new Date('2027-06-24T09:00:00Z'),
					endsAt: new Date('2027-06-24T09:05:00Z')
				}
			],
			'https://cs.example'
		);
		expect(ics).not.toMatch(/\r(?!\n)/);
		const [talk] = parsed(ics);
		expect(talk.getFirstPropertyValue('summary')).toBe(
			'Evil X-INJECT-TITLE:1 (Ana X-INJECT-NAME:1)'
		);
		expect(String(talk.getFirstPropertyValue('description'))).toContain('ok X-INJECT-SUMMARY:1');
		expect(talk.getAllProperties().some((p) => p.name.startsWith('x-inject'))).toBe(false);
	});

	it('writes an empty calendar when there is nothing to list', () => {
		expect(parsed(calendarFile([]))).toHaveLength(0);
	});
});
