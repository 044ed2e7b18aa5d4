import type { LiveTopic, LiveTopics } from '$lib/live/topics';

/** A screen's handlers, by topic: each receives its topic's payload. */
export type LiveHandlers = { [T in LiveTopic]?: (data: LiveTopics[T]) => void };

/** Longest random wait before a screen reloads its data or reconnects. */
const SPREAD_MS = 3000;
let reloading: ReturnType<typeof setTimeout> | undefined;

/**
 * Reload the page's data after a random delay of up to a few seconds, once however many changes
 * ask for it meanwhile: a change a thousand screens see at the same moment is then not a thousand
 * page loads at the same moment.
 */
export function reloadSoon(spreadMs = SPREAD_MS): void {
	if (reloading) return;
	reloading = setTimeout(() => {
		reloading = undefined;
		void import('$app/navigation').then(({ invalidateAll }) => invalidateAll());
	}, Math.random() * spreadMs);
}

/**
 * Follow an event's live stream (Server-Sent Events from /e/[slug]/live): each handler gets the
 * data of its topic. When the connection drops the browser reconnects by itself and, sending the
 * last id it saw, first gets what it missed (the catch-up): no reload is needed. A server that is
 * full or restarting answers 503 and the browser gives up; this then connects again after a
 * random wait, with a new stream that has no last id, so the page may have missed messages: it
 * reloads its data, once and after a random wait (`reloadSoon`).
 * Returns the function that stops following.
 */
export function followLive(slug: string, handlers: LiveHandlers): () => void {
	let source: EventSource | undefined;
	let retry: ReturnType<typeof setTimeout> | undefined;
	let stopped = false;
	// Whether this stream replaces one the browser gave up on: nothing was caught up.
	let missed = false;
	const connect = () => {
		source = new EventSource(`/e/${slug}/live`);
		source.addEventListener('open', () => {
			if (missed) reloadSoon();
			missed = false;
		});
		source.addEventListener('error', () => {
			if (stopped || source?.readyState !== EventSource.CLOSED) return;
			missed = true;
			retry = setTimeout(connect, SPREAD_MS / 2 + Math.random() * SPREAD_MS);
		});
		for (const topic of Object.keys(handlers) as LiveTopic[]) on(source, topic, handlers);
	};
	// Back online after the browser gave up: reconnect now rather than after the random wait.
	const online = () => {
		if (stopped || source?.readyState !== EventSource.CLOSED) return;
		clearTimeout(retry);
		connect();
	};
	globalThis.addEventListener?.('online', online);
	connect();
	return () => {
		stopped = true;
		globalThis.removeEventListener?.('online', online);
		clearTimeout(retry);
		source?.close();
	};
}

// The server published this payload through the same topic map, so it is the topic's type.
function on<T extends LiveTopic>(source: EventSource, topic: T, handlers: LiveHandlers) {
	const handle = handlers[topic];
	if (!handle) return;
	source.addEventListener(topic, (e: MessageEvent<string>) => handle(JSON.parse(e.data)));
}

/**
 * A clock reading sent by the server at `at` (ISO), as a `performance.now()` time on this
 * screen, so a countdown received late (a catch-up after reconnecting) still counts from the
 * moment the server read it. `skewMs` is this browser's clock minus the server's.
 */
export function localTimeOf(at: string, skewMs: number): number {
	return performance.now() - (Date.now() - skewMs - Date.parse(at));
}
