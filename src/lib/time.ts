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

/** A calendar date that exists: 2027-02-30 does not. */
export function isRealDate(date: string): boolean {
	try {
		Temporal.PlainDate.from(date, { overflow: 'reject' });
		return /^\d{4}-\d{2}-\d{2}$/.test(date);
	} catch {
		return false;
	}
}

/** The UTC instant of a wall-clock `date` + `time` in `timeZone` (a DST gap moves forward). */
export function zonedToInstant(date: string, time: string, timeZone: string): Date {
	const zdt = Temporal.PlainDateTime.from(`${date}T${time}`).toZonedDateTime(timeZone, {
		disambiguation: 'compatible'
	});
	return new Date(zdt.epochMilliseconds);
}

/** The wall-clock date (YYYY-MM-DD) and time (HH:MM) of an instant in `timeZone`. */
export function instantToZoned(instant: Date, timeZone: string): { date: string; time: string } {
	const zdt = Temporal.Instant.fromEpochMilliseconds(instant.getTime()).toZonedDateTimeISO(
		timeZone
	);
	return {
		date: zdt.toPlainDate().toString(),
		time: zdt.toPlainTime().toString({ smallestUnit: 'minute' })
	};
}

/** Every date from `start` to `end`, inclusive. */
export function datesBetween(start: string, end: string): string[] {
	const out: string[] = [];
	let d = Temporal.PlainDate.from(start);
	const last = Temporal.PlainDate.from(end);
	while (Temporal.PlainDate.compare(d, last) <= 0) {
		out.push(d.toString());
		d = d.add({ days: 1 });
	}
	return out;
}

export function daysBetween(start: string, end: string): number {
	return Temporal.PlainDate.from(start).until(Temporal.PlainDate.from(end)).days;
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

/** An event's dates: one day, or "first – last". */
export function formatDateRange(startDate: string, endDate: string, locale: string): string {
	return startDate === endDate
		? formatDate(startDate, locale)
		: `${formatDate(startDate, locale)} – ${formatDate(endDate, locale)}`;
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
