import { describe, expect, it } from 'vitest';
import { onPostgres, useTestDb } from '../../../../tests/fixtures/db';
import { makeEvent } from '../../../../tests/fixtures/factories';
import { live } from './hub';
import { liveResponse, openStreams } from './stream';

const testDb = useTestDb();

/** Announce a change to the event report named `change`, in a transaction of its own. */
const publish = (eventId: number, change: string) =>
	testDb.handle().db.transaction((tx) => live().publish(eventId, 'report', { change }, tx));

describe('the live stream', () => {
	it('a reconnecting screen gets what it missed, then what happens next, as Server-Sent Events', async () => {
		const { event } = await makeEvent();
		const seen = await publish(event.id, 'one');
		await publish(event.id, 'two');
		const abort = new AbortController();
		const response = await liveResponse(
			event.id,
			new Request('http://t/live', {
				headers: { 'last-event-id': String(seen.id) },
				signal: abort.signal
			})
		);
		expect(response.headers.get('content-type')).toBe('text/event-stream');
		const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
		let text = '';
		const until = async (pattern: RegExp) => {
			while (!pattern.test(text)) text += (await reader.read()).value ?? '';
		};
		await until(/"two"/);
		await publish(event.id, 'three');
		await until(/"three"/);
		abort.abort();
		const frames = text.split('\n\n').filter((f) => f.startsWith('id:'));
		expect(frames).toEqual([
			`id: ${seen.id + 1}\nevent: report\ndata: {"change":"two"}`,
			`id: ${seen.id + 2}\nevent: report\ndata: {"change":"three"}`
		]);
	});

	it.runIf(onPostgres())(
		'a stream sends a message that committed after one with a higher id',
		async () => {
			const { event } = await makeEvent();
			const hub = live();
			const abort = new AbortController();
			const response = await liveResponse(
				event.id,
				new Request('http://t/live', { signal: abort.signal })
			);
			const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
			await reader.read(); // the retry line: the stream is following
			const { db } = testDb.handle();
			let release!: () => void;
			const held = new Promise<void>((resolve) => (release = resolve));
			let early!: (id: number) => void;
			const earlyId = new Promise<number>((resolve) => (early = resolve));
			// The first transaction takes its id, then waits while a second one commits.
			const slow = db.transaction(async (tx) => {
				early((await hub.publish(event.id, 'report', { change: 'late commit' }, tx)).id);
				await held;
			});
			const lowId = await earlyId;
			const fast = await publish(event.id, 'first');
			expect(fast.id).toBeGreaterThan(lowId);
			release();
			await slow;
			let text = '';
			while (!/late commit/.test(text)) text += (await reader.read()).value ?? '';
			abort.abort();
			expect(text.indexOf('"first"')).toBeLessThan(text.indexOf('late commit'));
		}
	);

	it('a screen that stops reading is dropped; the others get every message meanwhile', async () => {
		const { event } = await makeEvent();
		const aborts: AbortController[] = [];
		const open = () => {
			const abort = new AbortController();
			aborts.push(abort);
			return liveResponse(event.id, new Request('http://t/live', { signal: abort.signal }), {
				maxQueuedBytes: 4096
			});
		};
		const stalled = (await open()).body!.getReader();
		const reader = (await open()).body!.pipeThrough(new TextDecoderStream()).getReader();
		// The other screen reads all the time, as a browser does.
		let text = '';
		const reading = (async () => {
			while (!/change 79 /.test(text)) text += (await reader.read()).value ?? '';
		})();
		await expect.poll(() => text).toMatch(/retry/);
		expect(openStreams(event.id)).toBe(2);
		// About 10 KB of messages: past what the stalled screen may leave unread.
		for (let i = 0; i < 80; i++) await publish(event.id, `change ${i} `.padEnd(100, '.'));
		await reading;
		expect(text.match(/^id: /gm)).toHaveLength(80);
		expect(openStreams(event.id)).toBe(1);
		await expect(stalled.read()).rejects.toThrow(/stopped reading/);
		for (const abort of aborts) abort.abort();
		expect(openStreams(event.id)).toBe(0);
	});

	it('beyond its cap of open streams an instance answers 503, and takes new screens again once some leave', async () => {
		const { event } = await makeEvent();
		const abort = new AbortController();
		const request = () => new Request('http://t/live', { signal: abort.signal });
		const first = await liveResponse(event.id, request(), { maxStreams: 1 });
		expect(first.status).toBe(200);
		const refused = await liveResponse(event.id, request(), { maxStreams: 1 });
		expect(refused.status).toBe(503);
		expect(refused.headers.get('retry-after')).toBeTruthy();
		abort.abort();
		const again = await liveResponse(event.id, new Request('http://t/live'), { maxStreams: 1 });
		expect(again.status).toBe(200);
		await again.body!.cancel();
	});
});
