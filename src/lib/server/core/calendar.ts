import { createEvents, type EventAttributes } from 'ics';
import type { Event } from '../events/events';
import type { ProgrammeTalk } from '../talks/running-order';
import type { listSchedule } from '../events/schedule';

type Schedule = Awaited<ReturnType<typeof listSchedule>>;

/**
 * The event as an iCalendar file: one entry per day, from its first block to its last (or the
 * whole day when it has no blocks yet), so calendars show the real hours of each day.
 */
export function eventCalendar(event: Event, days: Schedule, origin: string): string {
	const url = `${origin}/e/${event.slug}`;
	const location = [event.venue, event.address].filter(Boolean).join(', ') || undefined;
	const entries: EventAttributes[] = days.map((day) => {
		const common = {
			uid: `event-${event.id}-day-${day.date}@commonspace`,
			title: day.title ? `${event.name}: ${day.title}` : event.name,
			description: `${url}\n\n${event.description}`.trim(),
			location,
			url,
			productId: 'commonspace/ics'
		};
		if (!day.blocks.length) {
			const [y, m, d] = day.date.split('-').map(Number);
			const next = new Date(Date.UTC(y, m - 1, d + 1));
			return {
				...common,
				start: [y, m, d],
				end: [next.getUTCFullYear(), next.getUTCMonth() + 1, next.getUTCDate()]
			};
		}
		const first = day.blocks[0].startsAt;
		const last = Math.max(...day.blocks.map((b) => b.endsAt.getTime()));
		return {
			...common,
			start: first.getTime(),
			startInputType: 'utc',
			startOutputType: 'utc',
			end: last,
			endInputType: 'utc',
			endOutputType: 'utc'
		};
	});
	return calendarFile(entries);
}

/** Lightning talks as calendar entries: the whole programme, or one presenter's slot. */
export function talksCalendar(
	event: Pick<Event, 'id' | 'name' | 'slug' | 'venue' | 'address'>,
	talks: ProgrammeTalk[],
	origin: string
): string {
	const url = `${origin}/e/${event.slug}/talks`;
	const location = [event.venue, event.address].filter(Boolean).join(', ') || undefined;
	const entries: EventAttributes[] = talks.map((talk) => ({
		uid: `talk-${talk.id}@commonspace`,
		title: `${talk.title} (${talk.presenters})`,
		description: `${event.name}\n${url}\n\n${talk.summary}\n${talk.links.join('\n')}`.trim(),
		location,
		url,
		productId: 'commonspace/ics',
		start: talk.startsAt.getTime(),
		startInputType: 'utc',
		startOutputType: 'utc',
		end: talk.endsAt.getTime(),
		endInputType: 'utc',
		endOutputType: 'utc'
	}));
	return calendarFile(entries);
}

/** Every C0 control character and DEL; a bare CR in a property would start a new line. */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const CONTROL = /[\u0000-\u001f\u007f]/g;

/** A one-line property (title, location, …): every control character becomes a space. */
function oneLine(text: string): string {
	return text.replace(CONTROL, ' ');
}

/** A description keeps its line breaks (written as the escaped `\n`); other controls become spaces. */
function multiLine(text: string): string {
	return text.replace(/\r\n?/g, '\n').split('\n').map(oneLine).join('\n');
}

/**
 * The one writer of every .ics the app serves. User text reaches calendars through titles, names
 * and descriptions; it is cleaned here whatever the `ics` library escapes, so no text can end a
 * property line early and inject its own.
 */
export function calendarFile(entries: EventAttributes[]): string {
	if (!entries.length) {
		return ['BEGIN:VCALENDAR', 'VERSION:2.0', 'PRODID:commonspace/ics', 'END:VCALENDAR', ''].join(
			'\r\n'
		);
	}
	const clean = entries.map((entry) => ({
		...entry,
		uid: entry.uid && oneLine(entry.uid),
		title: entry.title && oneLine(entry.title),
		location: entry.location && oneLine(entry.location),
		url: entry.url && oneLine(entry.url),
		description: entry.description && multiLine(entry.description)
	})) as EventAttributes[];
	const { error, value } = createEvents(clean);
	if (error || !value) throw error ?? new Error('Calendar could not be written');
	if (/\r(?!\n)|(?<!\r)\n/.test(value)) throw new Error('Calendar has a bare line break');
	return value;
}

/** What a subscribed calendar shows per entry: its stable UID and how often it has changed. */
export interface FeedCalendarEntry {
	uid: string;
	sequence: number;
	title: string;
	description: string;
	location: string;
	url: string;
	startsAt: Date;
	endsAt: Date;
}

/** How often calendar apps should fetch a subscribed feed again. */
export const FEED_REFRESH = 'PT1H';

/**
 * A subscribable calendar: entries keep their UID and carry a SEQUENCE, so a calendar app that
 * fetches again replaces a moved session instead of adding a second one; the header asks apps
 * to refresh hourly (REFRESH-INTERVAL, and X-PUBLISHED-TTL for the apps that read only that).
 */
export function feedCalendar(name: string, entries: FeedCalendarEntry[]): string {
	const header = [
		`REFRESH-INTERVAL;VALUE=DURATION:${FEED_REFRESH}`,
		`X-PUBLISHED-TTL:${FEED_REFRESH}`,
		`X-WR-CALNAME:${name.replace(/[\\;,]/g, (c) => `\\${c}`).replace(/\r?\n/g, ' ')}`
	];
	if (!entries.length) {
		return [
			'BEGIN:VCALENDAR',
			'VERSION:2.0',
			'PRODID:commonspace/ics',
			...header,
			'END:VCALENDAR',
			''
		].join('\r\n');
	}
	const { error, value } = createEvents(
		entries.map((x): EventAttributes => ({
			uid: x.uid,
			sequence: x.sequence,
			title: x.title,
			description: x.description,
			location: x.location || undefined,
			url: x.url,
			productId: 'commonspace/ics',
			start: x.startsAt.getTime(),
			startInputType: 'utc',
			startOutputType: 'utc',
			end: x.endsAt.getTime(),
			endInputType: 'utc',
			endOutputType: 'utc'
		}))
	);
	if (error || !value) throw error ?? new Error('Calendar could not be written');
	return value.replace(/(PRODID:[^\r\n]*\r\n)/, `$1${header.join('\r\n')}\r\n`);
}
