import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { useTestDb } from '../../../../tests/fixtures/db';
import { makeEvent } from '../../../../tests/fixtures/factories';
import { setEventStatus } from '../events/events';
import { live } from '../live/hub';
import { closeStreams, openStreams } from '../live/stream';
import { frontServer, type FrontOptions, type Handler } from './server';
import { beginShutdown, resetShutdown } from './shutdown';

// The production server (server.js) in front of SvelteKit: live streams on the raw socket, the
// rest passed to SvelteKit's handler (here a stand-in that records what it was given).

const testDb = useTestDb();
afterEach(resetShutdown);

const publish = (eventId: number, change: string) =>
	testDb.handle().db.transaction((tx) => live().publish(eventId, 'report', { change }, tx));

async function publishedEvent() {
	const { event, organiser } = await makeEvent();
	await setEventStatus(organiser, event.id, 'published');
	return event;
}

async function start(handler: Handler, options: Partial<FrontOptions> = {}) {
	const front = frontServer(handler, { shutdownTimeoutMs: 5_000, ...options });
	await new Promise<void>((resolve) => front.server.listen(0, '127.0.0.1', resolve));
	const port = (front.server.address() as AddressInfo).port;
	return { ...front, port };
}

/** SvelteKit's stand-in: answers every request with the path it was given. */
const passedTo: string[] = [];
const svelteKit: Handler = (req, res) => {
	passedTo.push(req.url!);
	res.writeHead(200, { 'content-type': 'text/plain' }).end(`sveltekit ${req.url}`);
};

interface Stream {
	res: IncomingMessage;
	text: () => string;
	ended: Promise<void>;
}

/** A screen following a stream; `read: false` stops reading after the headers, as a stalled one. */
function follow(port: number, path: string, headers: Record<string, string> = {}, read = true) {
	return new Promise<Stream>((resolve, reject) => {
		const req = http.get({ host: '127.0.0.1', port, path, headers, agent: false }, (res) => {
			let text = '';
			// The connection closing (a stalled screen never reads to the end of its stream).
			const ended = new Promise<void>((done) => res.socket.once('close', () => done()));
			if (read) res.on('data', (chunk: Buffer) => (text += chunk.toString()));
			else res.pause();
			resolve({ res, text: () => text, ended });
		});
		req.on('error', reject);
	});
}

async function get(port: number, path: string) {
	const res = await fetch(`http://127.0.0.1:${port}${path}`);
	return { status: res.status, text: await res.text(), headers: res.headers };
}

describe('the production server', () => {
	it('serves an event stream on the socket, with the catch-up, and passes the rest to SvelteKit', async () => {
		const event = await publishedEvent();
		const seen = await publish(event.id, 'one');
		await publish(event.id, 'two');
		const { server, port } = await start(svelteKit);
		passedTo.length = 0;
		const stream = await follow(port, `/e/${event.slug}/live`, {
			'last-event-id': String(seen.id)
		});
		expect(stream.res.statusCode).toBe(200);
		expect(stream.res.headers['content-type']).toBe('text/event-stream');
		expect(stream.res.headers['x-content-type-options']).toBe('nosniff');
		await expect.poll(() => stream.text()).toMatch(/"two"/);
		await publish(event.id, 'three');
		await expect.poll(() => stream.text()).toMatch(/"three"/);
		const frames = stream
			.text()
			.split('\n\n')
			.filter((f) => f.startsWith('id:'));
		expect(frames).toEqual([
			`id: ${seen.id + 1}\nevent: report\ndata: {"change":"two"}`,
			`id: ${seen.id + 2}\nevent: report\ndata: {"change":"three"}`
		]);
		// Everything else is SvelteKit's, a draft event's stream included (its route says no).
		const { event: draft } = await makeEvent();
		expect((await get(port, '/e/x/other')).text).toBe('sveltekit /e/x/other');
		expect((await get(port, `/e/${draft.slug}/live`)).text).toBe(`sveltekit /e/${draft.slug}/live`);
		expect(passedTo).toEqual(['/e/x/other', `/e/${draft.slug}/live`]);
		expect(openStreams(event.id)).toBe(1);
		stream.res.destroy();
		await expect.poll(() => openStreams(event.id)).toBe(0);
		server.close();
	});

	it('drops a screen that stops reading; the others get every message meanwhile', async () => {
		const event = await publishedEvent();
		const { server, port } = await start(svelteKit);
		const stalled = await follow(port, `/e/${event.slug}/live`, {}, false);
		const reading = await follow(port, `/e/${event.slug}/live`);
		await expect.poll(() => reading.text()).toMatch(/retry/);
		expect(openStreams(event.id)).toBe(2);
		// Far more than the stalled screen's socket buffers and the 256 KB it may leave unread.
		const big = 'x'.repeat(60_000);
		let sent = 0;
		while (openStreams(event.id) === 2 && sent < 400)
			await publish(event.id, `change ${sent++} ${big}`);
		await expect.poll(() => openStreams(event.id)).toBe(1);
		// Its connection is ended by the server: once it reads again, it finds the end there.
		stalled.res.resume();
		await stalled.ended;
		// The screen that reads got every one of them, in order.
		await expect.poll(() => (reading.text().match(/^id: /gm) ?? []).length).toBe(sent);
		expect(reading.text()).toContain(`change ${sent - 1} `);
		reading.res.destroy();
		server.close();
	});

	it('beyond its cap of open streams it answers 503 with Retry-After', async () => {
		const event = await publishedEvent();
		const { server, port } = await start(svelteKit, { live: { maxStreams: 1 } });
		const first = await follow(port, `/e/${event.slug}/live`);
		expect(first.res.statusCode).toBe(200);
		const refused = await get(port, `/e/${event.slug}/live`);
		expect(refused.status).toBe(503);
		expect(refused.headers.get('retry-after')).toBeTruthy();
		expect(refused.text).toMatch(/retry shortly/);
		first.res.destroy();
		await expect.poll(() => openStreams(event.id)).toBe(0);
		expect((await follow(port, `/e/${event.slug}/live`)).res.statusCode).toBe(200);
		closeStreams();
		server.close();
	});

	it('stopping: streams end, a running request finishes, new connections are refused, then it closes', async () => {
		const event = await publishedEvent();
		let release!: () => void;
		const slow = new Promise<void>((resolve) => (release = resolve));
		let arrived!: () => void;
		const slowArrived = new Promise<void>((resolve) => (arrived = resolve));
		const handler: Handler = (req: IncomingMessage, res: ServerResponse) => {
			if (req.url !== '/slow') return res.end('ok');
			arrived();
			void slow.then(() => res.end('finished'));
		};
		const { stop, port } = await start(handler);
		const stream = await follow(port, `/e/${event.slug}/live`);
		await expect.poll(() => stream.text()).toMatch(/retry/);
		const running = get(port, '/slow');
		await slowArrived;
		// What hooks.server.ts and server.ts do on SIGTERM.
		beginShutdown(closeStreams);
		let stopped = false;
		const stopping = stop().then(() => (stopped = true));
		await stream.ended;
		expect(openStreams(event.id)).toBe(0);
		await expect(get(port, '/')).rejects.toThrow();
		expect(stopped).toBe(false);
		release();
		expect(await running).toMatchObject({ status: 200, text: 'finished' });
		await stopping;
		expect(stopped).toBe(true);
	});

	it('stopping does not wait past its timeout for a request that never ends', async () => {
		const { stop, port } = await start(() => {}, { shutdownTimeoutMs: 100 });
		const hanging = get(port, '/never').catch((e: unknown) => e);
		await new Promise((r) => setTimeout(r, 50));
		await stop();
		expect(await hanging).toBeInstanceOf(Error);
	});
});
