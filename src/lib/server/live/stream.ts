import type { ServerResponse } from 'node:http';
import type { LiveMessage } from '$lib/live/topics';
import { live, type LiveHub } from './hub';

// The Server-Sent Event stream of one event's live messages, as `/e/[slug]/live` serves it. Every
// open stream of an event is fed by one subscription to the hub: each message is framed and
// encoded once, and the same bytes are written to every screen (messages arriving together as one
// chunk). Writing never waits, so a screen that cannot keep up (more than `maxQueuedBytes` left
// unread) is dropped instead of slowing the others; its browser reconnects and catches up from
// its `Last-Event-ID`. An instance keeps at most `maxStreams` streams open and answers 503 beyond
// that. One timer sends the keep-alive comment to every open stream.
//
// A screen is either a raw `node:http` response (`followOnSocket`, what the production server
// serves, see node.ts and server.js) or a web stream (`liveResponse`, the SvelteKit route, for
// `vite dev` and specs): the rules above are the same for both, only the write differs.

const encoder = new TextEncoder();
const frame = (m: LiveMessage) =>
	encoder.encode(`id: ${m.id}\nevent: ${m.topic}\ndata: ${JSON.stringify(m.data)}\n\n`);
const RETRY = encoder.encode('retry: 2000\n\n');
const PING = encoder.encode(': ping\n\n');
const KEEP_ALIVE_MS = 20_000;

/** The response headers of a live stream. */
export const STREAM_HEADERS = {
	'content-type': 'text/event-stream',
	'cache-control': 'no-cache, no-transform',
	'x-accel-buffering': 'no'
} as const;

/** The answer beyond the cap: the browser's EventSource retries, after `retry-after` seconds. */
export const FULL = {
	status: 503,
	body: 'This server is following as many screens as it can; retry shortly.\n',
	headers: { 'content-type': 'text/plain; charset=utf-8', 'retry-after': '5' }
} as const;

export interface LiveStreamOptions {
	/** Bytes a screen may leave unread before it is dropped. */
	maxQueuedBytes?: number;
	/** Streams this instance keeps open at once. */
	maxStreams?: number;
}

const defaults = {
	maxQueuedBytes: 256 * 1024,
	maxStreams: Number(process.env.LIVE_MAX_STREAMS || 10_000)
};

/**
 * One open stream. Kept small (a screen costs this object and its socket): the few fields and
 * the methods on the prototype, no closure or timer of its own.
 */
abstract class Screen {
	/** Messages that arrived while the screen was catching up, sent once it has. */
	waiting: LiveMessage[] | null = [];
	dropped = false;

	constructor(
		readonly fanout: Fanout,
		protected readonly maxQueuedBytes: number
	) {}

	/** Queue bytes; answers false once the screen has more than it may leave unread. */
	abstract write(bytes: Uint8Array): boolean;

	/** Close the stream; `behind`: it stopped reading, so what it left unread goes. */
	protected abstract end(behind: boolean): void;

	/** Take the screen off its event and close it. */
	drop(behind = false) {
		if (this.dropped) return;
		this.dropped = true;
		this.fanout.remove(this);
		this.end(behind);
	}

	/** Write, or drop the screen when it has stopped reading. */
	send(bytes: Uint8Array) {
		if (!this.dropped && !this.write(bytes)) this.drop(true);
	}
}

/** A screen on a web ReadableStream (the SvelteKit route). */
class WebScreen extends Screen {
	controller!: ReadableStreamDefaultController<Uint8Array>;

	write(bytes: Uint8Array): boolean {
		try {
			this.controller.enqueue(bytes);
		} catch {
			return false;
		}
		// desiredSize is the room left under the high-water mark: below -max, max bytes are unread.
		return (this.controller.desiredSize ?? 0) >= -this.maxQueuedBytes;
	}

	protected end(behind: boolean) {
		try {
			if (behind) this.controller.error(new Error('the screen stopped reading'));
			else this.controller.close();
		} catch {
			// already closed by the browser going away
		}
	}
}

/** A screen on a raw `node:http` response: the bytes go straight to its socket. */
class SocketScreen extends Screen {
	constructor(
		fanout: Fanout,
		maxQueuedBytes: number,
		readonly res: ServerResponse
	) {
		super(fanout, maxQueuedBytes);
	}

	write(bytes: Uint8Array): boolean {
		if (this.res.destroyed) return false;
		// write() answers false past the socket's own high-water mark; that alone is no reason to
		// drop a screen (one burst can pass it), only what it has left unread in all.
		this.res.write(bytes);
		return this.res.writableLength <= this.maxQueuedBytes;
	}

	protected end(behind: boolean) {
		if (behind || this.res.destroyed) return void this.res.destroy();
		// The browser reconnects on a connection of its own: this one closes once the end is sent,
		// rather than idling (a stopping server would otherwise wait for thousands of them).
		this.res.end();
		this.res.socket?.end();
	}
}

// The response's own 'close' (the browser went away, or the socket was destroyed) finds its
// screen here: one listener function shared by every socket.
const socketScreens = new WeakMap<ServerResponse, SocketScreen>();
function onSocketClose(this: ServerResponse) {
	socketScreens.get(this)?.drop();
}

/** Every event with open streams, for the one keep-alive timer. */
const following = new Set<Fanout>();
let heartbeat: ReturnType<typeof setInterval> | undefined;

function ping() {
	for (const fanout of following) fanout.broadcast(PING);
}

/** One event's open streams on this instance, fed by one hub subscription. */
class Fanout {
	readonly screens = new Set<Screen>();
	private unsubscribe: Promise<() => void> | undefined;
	// Messages that arrive together (a burst of votes comes in one read from the database) go
	// out as one chunk: framed once, joined once, one write per screen for the lot.
	private batch: Uint8Array[] = [];
	private readonly batched = new Set<number>();

	constructor(
		readonly hub: LiveHub,
		private readonly eventId: number,
		private readonly onEmpty: () => void
	) {}

	/** Resolves once the hub delivers this event's messages here. */
	add(screen: Screen): Promise<void> {
		this.screens.add(screen);
		this.unsubscribe ??= this.hub.subscribe(this.eventId, (m) => this.receive(m));
		following.add(this);
		heartbeat ??= setInterval(ping, KEEP_ALIVE_MS);
		return this.unsubscribe.then(() => undefined);
	}

	remove(screen: Screen) {
		if (!this.screens.delete(screen) || this.screens.size) return;
		following.delete(this);
		if (!following.size) {
			clearInterval(heartbeat);
			heartbeat = undefined;
		}
		void this.unsubscribe?.then((stop) => stop());
		this.onEmpty();
	}

	/** Whether `id` is in the batch still to go out (a screen done catching up gets it there). */
	pending(id: number): boolean {
		return this.batched.has(id);
	}

	broadcast(bytes: Uint8Array) {
		for (const screen of this.screens) if (!screen.waiting) screen.send(bytes);
	}

	private receive(m: LiveMessage) {
		for (const screen of this.screens) if (screen.waiting) screen.waiting.push(m);
		if (!this.batch.length) setImmediate(() => this.flush());
		this.batch.push(frame(m));
		this.batched.add(m.id);
	}

	private flush() {
		const parts = this.batch;
		this.batch = [];
		this.batched.clear();
		this.broadcast(parts.length === 1 ? parts[0] : joined(parts));
	}
}

function joined(parts: Uint8Array[]): Uint8Array {
	const bytes = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
	let at = 0;
	for (const p of parts) {
		bytes.set(p, at);
		at += p.length;
	}
	return bytes;
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

/** Whether this instance already follows as many screens as it may. */
export function full(options: LiveStreamOptions = {}): boolean {
	return openStreams() >= (options.maxStreams ?? defaults.maxStreams);
}

/** Close every open stream, as the server shuts down: browsers reconnect to another instance. */
export function closeStreams(): void {
	const byEvent = fanouts.get(live());
	for (const f of byEvent?.values() ?? []) for (const screen of [...f.screens]) screen.drop();
}

function fanoutOf(eventId: number): Fanout {
	const hub = live();
	let byEvent = fanouts.get(hub);
	if (!byEvent) fanouts.set(hub, (byEvent = new Map()));
	const events = byEvent;
	let fanout = events.get(eventId);
	if (!fanout) {
		const created = new Fanout(hub, eventId, () => {
			if (events.get(eventId) === created) events.delete(eventId);
		});
		events.set(eventId, (fanout = created));
	}
	return fanout;
}

/** The id a reconnecting browser sends in `Last-Event-ID`, when it is one. */
function lastEventId(header: string | null | undefined): number | null {
	return header && /^\d{1,15}$/.test(header) ? Number(header) : null;
}

/**
 * Put a screen on its event: first the messages after `lastId` (a reconnecting browser's
 * `Last-Event-ID`), then every new message as it happens. Ids are taken when a message is written
 * but transactions commit in their own order, so a message can arrive after one with a higher id:
 * every live message is sent as it comes, and only the catch-up and what arrived meanwhile can
 * overlap. (A message that committed late, below that id, is not among the catch-up: screens
 * reload their data when they reconnect, see follow-live.ts.)
 */
async function follow(screen: Screen, eventId: number, lastId: number | null): Promise<void> {
	const fanout = screen.fanout;
	await fanout.add(screen);
	if (screen.dropped) return;
	screen.write(RETRY);
	const caughtUp = new Set<number>();
	if (lastId !== null) {
		const missed = await fanout.hub.since(eventId, lastId);
		if (screen.dropped) return;
		for (const m of missed) caughtUp.add(m.id);
		if (missed.length) screen.write(joined(missed.map(frame)));
	}
	const waiting = screen.waiting ?? [];
	screen.waiting = null;
	for (const m of waiting) if (!caughtUp.has(m.id) && !fanout.pending(m.id)) screen.send(frame(m));
}

/**
 * Serve the event's stream on a raw `node:http` response (see node.ts): the headers go out at
 * once and every message is written to the socket as it is. Answers 503 beyond the cap.
 */
export function followOnSocket(
	eventId: number,
	res: ServerResponse,
	lastEventIdHeader: string | undefined,
	headers: Record<string, string>,
	options: LiveStreamOptions = {}
): void {
	if (full(options)) {
		res.writeHead(FULL.status, { ...headers, ...FULL.headers }).end(FULL.body);
		return;
	}
	res.writeHead(200, { ...headers, ...STREAM_HEADERS });
	const screen = new SocketScreen(
		fanoutOf(eventId),
		options.maxQueuedBytes ?? defaults.maxQueuedBytes,
		res
	);
	socketScreens.set(res, screen);
	res.once('close', onSocketClose);
	void follow(screen, eventId, lastEventId(lastEventIdHeader)).catch(() => screen.drop(true));
}

/** The same stream as a web Response, for the SvelteKit route (`vite dev`, specs). */
export async function liveResponse(
	eventId: number,
	request: Request,
	options: LiveStreamOptions = {}
): Promise<Response> {
	if (full(options)) return new Response(FULL.body, FULL);
	const screen = new WebScreen(
		fanoutOf(eventId),
		options.maxQueuedBytes ?? defaults.maxQueuedBytes
	);
	const lastId = lastEventId(request.headers.get('last-event-id'));
	const stream = new ReadableStream<Uint8Array>(
		{
			start(controller) {
				screen.controller = controller;
				request.signal.addEventListener('abort', () => screen.drop(), { once: true });
				return follow(screen, eventId, lastId);
			},
			cancel() {
				screen.drop();
			}
		},
		// Counted in bytes, so `desiredSize` says how much the screen has left unread.
		new ByteLengthQueuingStrategy({ highWaterMark: 0 })
	);
	return new Response(stream, { headers: STREAM_HEADERS });
}
