// Which pages the service worker keeps for reading offline, and how they are found again. Read
// by the worker and by the page that says how old what it shows is.

export const PAGES_CACHE = 'pages';
/** The header a kept page carries: when it was fetched (ISO). */
export const SAVED_AT_HEADER = 'x-commonspace-saved-at';

// The event page, tickets, the agenda and one's own, the marketplace, sessions and their
// harvest, and the door (organisers); never downloads, feeds or the live stream.
const KEPT = [
	/^\/e\/[^/]+$/,
	/^\/e\/[^/]+\/tickets\/\d+$/,
	/^\/e\/[^/]+\/agenda(\/mine)?$/,
	/^\/e\/[^/]+\/marketplace(\/\d+)?$/,
	/^\/e\/[^/]+\/sessions\/\d+(\/harvest)?$/,
	/^\/manage\/[^/]+\/checkin$/,
	/^\/tickets$/
];

/** The data a page loads when the app moves to it without reloading. */
export const DATA_SUFFIX = '/__data.json';

/** Whether the page at this path is kept for reading offline. */
export const keepsOffline = (path: string): boolean => KEPT.some((re) => re.test(path));

/** What a kept page is stored under: its address without the part after `#`. */
export const cacheKeyOf = (url: URL): string => url.origin + url.pathname + url.search;

/** When the page at `url` was last fetched and kept, if it was. */
export async function savedAt(url: URL): Promise<Date | null> {
	if (typeof caches === 'undefined') return null;
	const kept = await caches.match(cacheKeyOf(url), { cacheName: PAGES_CACHE });
	const at = kept?.headers.get(SAVED_AT_HEADER);
	return at ? new Date(at) : null;
}
