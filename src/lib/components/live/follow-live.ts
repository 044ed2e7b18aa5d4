/**
 * Follow an event's live stream (Server-Sent Events from /e/[slug]/live): each handler gets the
 * data of its topic. The browser reconnects by itself and, sending the last id it saw, catches
 * up with what it missed. Returns the function that stops following.
 */
export function followLive(
	slug: string,
	handlers: Record<string, (data: unknown) => void>
): () => void {
	const source = new EventSource(`/e/${slug}/live`);
	// After a reconnect, reload the page's data as well as taking the catch-up: a change that
	// committed late while the screen was away can sit below the last id it saw.
	let opened = false;
	source.addEventListener('open', () => {
		if (opened) void import('$app/navigation').then(({ invalidateAll }) => invalidateAll());
		opened = true;
	});
	for (const [topic, handle] of Object.entries(handlers)) {
		source.addEventListener(topic, (e) => handle(JSON.parse((e as MessageEvent<string>).data)));
	}
	return () => source.close();
}

/**
 * A clock reading sent by the server at `at` (ISO), as a `performance.now()` time on this
 * screen, so a countdown received late (a catch-up after reconnecting) still counts from the
 * moment the server read it. `skewMs` is this browser's clock minus the server's.
 */
export function localTimeOf(at: string, skewMs: number): number {
	return performance.now() - (Date.now() - skewMs - Date.parse(at));
}
