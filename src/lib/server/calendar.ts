import { createEvents, type EventAttributes } from 'ics';
import type { Event } from './events';
import type { listSchedule } from './schedule';

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
