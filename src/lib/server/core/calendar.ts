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
	const { error, value } = createEvents(entries);
	if (error || !value) throw error ?? new Error('Calendar could not be written');
	return value;
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
	if (!entries.length) return emptyCalendar();
	const { error, value } = createEvents(entries);
	if (error || !value) throw error ?? new Error('Calendar could not be written');
	return value;
}

function emptyCalendar(): string {
	return ['BEGIN:VCALENDAR', 'VERSION:2.0', 'PRODID:commonspace/ics', 'END:VCALENDAR', ''].join(
		'\r\n'
	);
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
