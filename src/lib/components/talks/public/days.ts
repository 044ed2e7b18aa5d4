import { getLocale } from '$lib/paraglide/runtime';
import { formatDate } from '$lib/time';

/** The event's days as choices for "preferred day". */
export function dayOptions(days: { id: number; date: string; title: string | null }[]) {
	return days.map((d) => ({
		value: String(d.id),
		label: formatDate(d.date, getLocale()) + (d.title ? ` · ${d.title}` : '')
	}));
}
