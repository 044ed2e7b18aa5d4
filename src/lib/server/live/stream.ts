import type { LiveMessage } from '$lib/live/topics';
import { live, type LiveHub } from './hub';

// The Server-Sent Event stream of one event's live messages, as `/e/[slug]/live` serves it.
// Every open stream of an event is fed by one subscription to the hub: each message is framed
// and encoded once, and the same bytes are queued on every stream (messages arriving together
// as one chunk). Queuing never waits, so a
// screen that cannot keep up (its queue past `maxQueuedBytes`) is dropped instead of slowing
// the others; its browser reconnects and catches up from its `Last-Event-ID`. An instance keeps
// at most `maxStreams` streams open and answers 503 beyond that.

const encoder = new TextEncoder();
const frame = (m: LiveMessage) =>
	encoder.encode(`id: ${m.id}\nevent: ${m.topic}\ndata: ${JSON.stringify(m.data)}\n\n`);
const RETRY = encoder.encode('retry: 2000\n\n');
const PING = encoder.encode(': ping\n\n');

export interface LiveStreamOptions {
	keepAliveMs?: number;
	/** Bytes a screen may leave unread before it is dropped. */
	maxQueuedBytes?: number;
	/** Streams this instance keeps open at once. */
	maxStreams?: number;
}

const defaults = {
	keepAliveMs: 20_000,
	maxQueuedBytes: 256 * 1024,
	maxStreams: Number(process.env.LIVE_MAX_STREAMS || 10_000)
};

interface Screen {
	controller: ReadableStreamDefaultController<Uint8Array>;
	/** Messages that arrived while the screen was catching up, sent once it has. */
	waiting: LiveMessage[] | null;
	maxQueuedBytes: number;
	/** Take the screen off the event; `behind`: it stopped reading, so what it left unread goes. */
	drop: (behind?: boolean) => void;
}

/** One event's open streams on this instance, fed by one hub subscription. */
class Fanout {
	readonly screens = new Set<Screen>();
	private unsubscribe: Promise<() => void> | undefined;
	private ping: ReturnType<typeof setInterval> | undefined;
	// Messages that arrive together (a burst of votes comes in one read from the database) go
	// out as one chunk: framed once, joined once, one write per screen for the lot.
	private batch: Uint8Array[] = [];
	private readonly batched = new Set<number>();

	constructor(
		private readonly hub: LiveHub,
		private readonly eventId: number,
		private readonly keepAliveMs: number,
		private readonly onEmpty: () => void
	) {}

	/** Resolves once the hub delivers this event's messages here. */
	add(screen: Screen): Promise<void> {
		this.screens.add(screen);
		this.unsubscribe ??= this.hub.subscribe(this.eventId, (m) => this.send(m));
		this.ping ??= setInterval(() => this.broadcast(PING), this.keepAliveMs);
		return this.unsubscribe.then(() => undefined);
	}

	remove(screen: Screen) {
		if (!this.screens.delete(screen) || this.screens.size) return;
		clearInterval(this.ping);
		void this.unsubscribe?.then((stop) => stop());
		this.onEmpty();
	}

	/** Whether `id` is in the batch still to go out (a screen done catching up gets it there). */
	pending(id: number): boolean {
		return this.batched.has(id);
	}

	private send(m: LiveMessage) {
		for (const screen of this.screens) if (screen.waiting) screen.waiting.push(m);
		if (!this.batch.length) setImmediate(() => this.flush());
		this.batch.push(frame(m));
		this.batched.add(m.id);
	}

	private flush() {
		const parts = this.batch;
		this.batch = [];
		this.batched.clear();
		let bytes = parts[0];
		if (parts.length > 1) {
			bytes = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
			let at = 0;
			for (const p of parts) {
				bytes.set(p, at);
				at += p.length;
			}
		}
		for (const screen of this.screens) if (!screen.waiting) write(screen, bytes);
	}

	private broadcast(bytes: Uint8Array) {
		for (const screen of this.screens) if (!screen.waiting) write(screen, bytes);
	}
}

/** Queue bytes on a screen's stream, or drop the screen when it has stopped reading. */
function write(screen: Screen, bytes: Uint8Array) {
	try {
		screen.controller.enqueue(bytes);
	} catch {
		return screen.drop();
	}
	// desiredSize is the room left under the high-water mark: below -max, max bytes are unread.
	if ((screen.controller.desiredSize ?? 0) < -screen.maxQueuedBytes) screen.drop(true);
}

const fanouts = new WeakMap<LiveHub, Map<number, Fanout>>();

/** How many live streams this instance has open (of the open database's hub). */
export function openStreams(eventId?: number): number {
	const byEvent = fanouts.get(live());
	if (!byEvent) return 0;
	if (eventId !== undefined) return byEvent.get(eventId)?.screens.size ?? 0;
	let n = 0;
	for (const f of byEvent.values()) n += f.screens.size;
	return n;
}

/** Close every open stream, as the server shuts down: browsers reconnect to another instance. */
export function closeStreams(): void {
	const byEvent = fanouts.get(live());
	for (const f of byEvent?.values() ?? []) for (const screen of [...f.screens]) screen.drop();
}

/**
 * A Server-Sent Events response for one event's screens. A reconnecting browser sends
 * `Last-Event-ID` and first gets the messages after it; after that every new message as it
 * happens. (A message that committed late, below that id, is not among them: screens reload
 * their data when they reconnect, see follow-live.ts.)
 */
export async function liveResponse(
	eventId: number,
	request: Request,
	options: LiveStreamOptions = {}
): Promise<Response> {
	const { keepAliveMs, maxQueuedBytes, maxStreams } = { ...defaults, ...options };
	const hub = live();
	if (openStreams() >= maxStreams)
		return new Response('This server is following as many screens as it can; retry shortly.\n', {
			status: 503,
			headers: { 'content-type': 'text/plain; charset=utf-8', 'retry-after': '5' }
		});
	let byEvent = fanouts.get(hub);
	if (!byEvent) fanouts.set(hub, (byEvent = new Map()));
	const events = byEvent;
	const fanout =
		events.get(eventId) ??
		new Fanout(hub, eventId, keepAliveMs, () => {
			if (events.get(eventId) === fanout) events.delete(eventId);
		});
	events.set(eventId, fanout);

	const header = request.headers.get('last-event-id') ?? '';
	const lastId = /^\d{1,15}$/.test(header) ? Number(header) : null;
	let screen!: Screen;
	const stream = new ReadableStream<Uint8Array>(
		{
			async start(controller) {
				let dropped = false;
				screen = {
					controller,
					waiting: [],
					maxQueuedBytes,
					drop: (behind = false) => {
						if (dropped) return;
						dropped = true;
						fanout.remove(screen);
						try {
							if (behind) controller.error(new Error('the screen stopped reading'));
							else controller.close();
						} catch {
							// already closed by the browser going away
						}
					}
				};
				request.signal.addEventListener('abort', () => screen.drop(), { once: true });
				// Ids are taken when a message is written but transactions commit in their own order,
				// so a message can arrive after one with a higher id: every live message is sent as
				// it comes. Only the catch-up and what arrived meanwhile can overlap.
				await fanout.add(screen);
				controller.enqueue(RETRY);
				const caughtUp = new Set<number>();
				if (lastId !== null) {
					for (const m of await hub.since(eventId, lastId)) {
						caughtUp.add(m.id);
						controller.enqueue(frame(m));
					}
				}
				const waiting = screen.waiting ?? [];
				screen.waiting = null;
				for (const m of waiting)
					if (!caughtUp.has(m.id) && !fanout.pending(m.id)) write(screen, frame(m));
			},
			cancel() {
				screen?.drop();
			}
		},
		// Counted in bytes, so `desiredSize` says how much the screen has left unread.
		new ByteLengthQueuingStrategy({ highWaterMark: 0 })
	);
	return new Response(stream, {
		headers: {
			'content-type': 'text/event-stream',
			'cache-control': 'no-cache, no-transform',
			'x-accel-buffering': 'no'
		}
	});
}
