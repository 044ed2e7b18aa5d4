import type { Event } from '../events/events';
import { feedDays, feedEntries } from './entries';
import { scheduleModel } from './frab';
import { scheduleVersion } from './versions';

/** The published schedule of an event, ready to write as schedule.xml or schedule.json. */
export async function publicSchedule(event: Event, origin: string) {
	const [entries, days] = await Promise.all([feedEntries(event), feedDays(event.id)]);
	const details = [event.name, event.slug, event.timeZone, event.startDate, event.endDate, days];
	const version = await scheduleVersion(event.id, entries, details);
	return scheduleModel(event, days, entries, version, origin);
}
