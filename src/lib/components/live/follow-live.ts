import type { LiveTopic, LiveTopics } from '$lib/live/topics';

/** A screen's handlers, by topic: each receives its topic's payload. */
export type LiveHandlers = { [T in LiveTopic]?: (data: LiveTopics[T]) => void };

/**
 * Follow an event's live stream (Server-Sent Events from /e/[slug]/live): each handler gets the
 * data of its topic. The browser reconnects by itself and, sending the last id it saw, catches
 * up with what it missed. Returns the function that stops following.
 */
export function followLive(slug: string, handlers: LiveHandlers): () => void {
	const source = new EventSource(`/e/${slug}/live`);
	// After a reconnect, reload the page's data as well as taking the catch-up: a change that
	// committed late while the screen was away can sit below the last id it saw.
	let opened = false;
	source.addEventListener('open', () => {
		if (opened) void import('$app/navigation').then(({ invalidateAll }) => invalidateAll());
		opened = true;
	});
	for (const topic of Object.keys(handlers) as LiveTopic[]) on(source, topic, handlers);
	return () => source.close();
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
