import type { ReportLicence } from '$lib/constants';
import { m } from '$lib/paraglide/messages';
import { formatDate, formatTime, instantToZoned } from '$lib/time';

// Shared by the report page, its Markdown and the plenary: the licences a report can carry
// (their names and the deed a reader can follow), and how a session's time reads.

const DEEDS: Record<ReportLicence, string | null> = {
	'CC-BY-SA-4.0': 'https://creativecommons.org/licenses/by-sa/4.0/',
	'CC-BY-4.0': 'https://creativecommons.org/licenses/by/4.0/',
	'CC0-1.0': 'https://creativecommons.org/publicdomain/zero/1.0/',
	'all-rights-reserved': null
};

const LABELS: Record<ReportLicence, () => string> = {
	'CC-BY-SA-4.0': m.hr_licence_cc_by_sa,
	'CC-BY-4.0': m.hr_licence_cc_by,
	'CC0-1.0': m.hr_licence_cc0,
	'all-rights-reserved': m.hr_licence_reserved
};

export const licenceDeed = (licence: ReportLicence) => DEEDS[licence];
export const licenceLabel = (licence: ReportLicence) => LABELS[licence]();

/** "Thursday 24 June 2027, 10:00–10:50" in the event's time zone. */
export function slotWhen(startsAt: Date, endsAt: Date, timeZone: string, locale: string) {
	const day = formatDate(instantToZoned(startsAt, timeZone).date, locale);
	return `${day}, ${formatTime(startsAt, timeZone, locale)}–${formatTime(endsAt, timeZone, locale)}`;
}
