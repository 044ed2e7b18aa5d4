import type { LiveMessage } from '$lib/live/topics';
import { live } from './hub';

// The Server-Sent Event stream of one event's live messages, as `/e/[slug]/live` serves it.

const encoder = new TextEncoder();
const frame = (m: LiveMessage) =>
	encoder.encode(`id: ${m.id}\nevent: ${m.topic}\ndata: ${JSON.stringify(m.data)}\n\n`);

/**
 * A Server-Sent Events response for one event's screens. A reconnecting browser sends
 * `Last-Event-ID` and first gets the messages after it; after that every new message as it
 * happens. (A message that committed late, below that id, is not among them: screens reload
 * their data when they reconnect, see follow-live.ts.)
 */
export async function liveResponse(
	eventId: number,
	request: Request,
	keepAliveMs = 20_000
): Promise<Response> {
	const hub = live();
	const header = request.headers.get('last-event-id') ?? '';
	const lastId = /^\d{1,15}$/.test(header) ? Number(header) : null;
	let stop = () => {};
	const stream = new ReadableStream<Uint8Array>({
		async start(controller) {
			// Ids are taken when a message is written but transactions commit in their own order,
			// so a message can arrive after one with a higher id: every live message is sent as
			// it comes. Only the catch-up and what arrived meanwhile can overlap.
			let catchingUp = true;
			const waiting: LiveMessage[] = [];
			const caughtUp = new Set<number>();
			const send = (m: LiveMessage) => controller.enqueue(frame(m));
			const unsubscribe = await hub.subscribe(eventId, (m) =>
				catchingUp ? waiting.push(m) : send(m)
			);
			const ping = setInterval(() => controller.enqueue(encoder.encode(': ping\n\n')), keepAliveMs);
			stop = () => {
				clearInterval(ping);
				unsubscribe();
			};
			request.signal.addEventListener('abort', () => {
				stop();
				try {
					controller.close();
				} catch {
					// already closed by the browser going away
				}
			});
			controller.enqueue(encoder.encode('retry: 2000\n\n'));
			if (lastId !== null) {
				for (const m of await hub.since(eventId, lastId)) {
					caughtUp.add(m.id);
					send(m);
				}
			}
			catchingUp = false;
			for (const m of waiting) if (!caughtUp.has(m.id)) send(m);
			caughtUp.clear();
		},
		cancel() {
			stop();
		}
	});
	return new Response(stream, {
		headers: {
			'content-type': 'text/event-stream',
			'cache-control': 'no-cache, no-transform',
			'x-accel-buffering': 'no'
		}
	});
}
