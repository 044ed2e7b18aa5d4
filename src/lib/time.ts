import { Temporal } from 'temporal-polyfill';

// Instants are stored in UTC; people read and type wall-clock times in the event's time zone.

export function isTimeZone(tz: string): boolean {
	if (!tz || tz.length > 64) return false;
	try {
		new Intl.DateTimeFormat('en', { timeZone: tz });
		return true;
	} catch {
		return false;
	}
}

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const DAY_MS = 86_400_000;

/** Midnight UTC of a plain date (YYYY-MM-DD), in milliseconds: plain dates count in whole days. */
const dayOf = (date: string) => Date.parse(`${date}T00:00:00Z`);
const dateOf = (ms: number) => new Date(ms).toISOString().slice(0, 10);

/** A calendar date that exists: 2027-02-30 does not. */
export function isRealDate(date: string): boolean {
	const parts = DATE.exec(date);
	if (!parts) return false;
	// setUTCFullYear, unlike Date.UTC, takes years below 100 as they are.
	const day = new Date(0);
	day.setUTCFullYear(+parts[1], +parts[2] - 1, +parts[3]);
	return dateOf(day.getTime()) === date;
}

/**
 * The UTC instant of a wall-clock `date` + `time` in `timeZone` (a DST gap moves forward). The
 * only function here that needs a date library: the server's, which the browser never loads.
 */
export function zonedToInstant(date: string, time: string, timeZone: string): Date {
	const zdt = Temporal.PlainDateTime.from(`${date}T${time}`).toZonedDateTime(timeZone, {
		disambiguation: 'compatible'
	});
	return new Date(zdt.epochMilliseconds);
}

const wallClocks = new Map<string, Intl.DateTimeFormat>();

/** The wall-clock date (YYYY-MM-DD) and time (HH:MM) of an instant in `timeZone`. */
export function instantToZoned(instant: Date, timeZone: string): { date: string; time: string } {
	let clock = wallClocks.get(timeZone);
	if (!clock) {
		clock = new Intl.DateTimeFormat('en-GB', {
			timeZone,
			year: 'numeric',
			month: '2-digit',
			day: '2-digit',
			hour: '2-digit',
			minute: '2-digit',
			hourCycle: 'h23'
		});
		wallClocks.set(timeZone, clock);
	}
	const part: Partial<Record<Intl.DateTimeFormatPartTypes, string>> = {};
	for (const { type, value } of clock.formatToParts(instant)) part[type] = value;
	return {
		date: `${part.year!.padStart(4, '0')}-${part.month}-${part.day}`,
		time: `${part.hour}:${part.minute}`
	};
}

/** Every date from `start` to `end`, inclusive. */
export function datesBetween(start: string, end: string): string[] {
	const out: string[] = [];
	for (let d = dayOf(start), last = dayOf(end); d <= last; d += DAY_MS) out.push(dateOf(d));
	return out;
}

export function daysBetween(start: string, end: string): number {
	return Math.round((dayOf(end) - dayOf(start)) / DAY_MS);
}

/** The language's date conventions; English uses the 24-hour clock and day-month order. */
export function intlLocale(locale: string): string {
	return locale === 'en' ? 'en-GB' : locale;
}

/** "Thursday 27 June 2019" in the reader's language; a plain date has no time zone. */
export function formatDate(date: string, locale: string): string {
	return new Intl.DateTimeFormat(intlLocale(locale), {
		weekday: 'long',
		day: 'numeric',
		month: 'long',
		year: 'numeric',
		timeZone: 'UTC'
	}).format(new Date(`${date}T00:00:00Z`));
}

export function formatTime(instant: Date, timeZone: string, locale: string): string {
	return new Intl.DateTimeFormat(intlLocale(locale), {
		hour: '2-digit',
		minute: '2-digit',
		timeZone
	}).format(instant);
}

export function formatDateTime(instant: Date, timeZone: string, locale: string): string {
	return new Intl.DateTimeFormat(intlLocale(locale), {
		dateStyle: 'medium',
		timeStyle: 'short',
		timeZone
	}).format(instant);
}

/** Every IANA zone this runtime knows, for the time-zone picker. */
export function timeZones(): string[] {
	const zones = Intl.supportedValuesOf('timeZone');
	return zones.includes('UTC') ? zones : ['UTC', ...zones];
}
