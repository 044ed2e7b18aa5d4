import { describe, expect, it } from 'vitest';
import { onPostgres, useTestDb } from '../../../../tests/fixtures/db';
import { makeEvent } from '../../../../tests/fixtures/factories';
import { live } from './hub';
import { liveResponse } from './stream';

const testDb = useTestDb();

describe('the live stream', () => {
	it('a reconnecting screen gets what it missed, then what happens next, as Server-Sent Events', async () => {
		const { event } = await makeEvent();
		const hub = live();
		const seen = await hub.publish(event.id, 'stage', { n: 1 });
		await hub.publish(event.id, 'stage', { n: 2 });
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
		await until(/"n":2/);
		await hub.publish(event.id, 'stage', { n: 3 });
		await until(/"n":3/);
		abort.abort();
		const frames = text.split('\n\n').filter((f) => f.startsWith('id:'));
		expect(frames).toEqual([
			`id: ${seen.id + 1}\nevent: stage\ndata: {"n":2}`,
			`id: ${seen.id + 2}\nevent: stage\ndata: {"n":3}`
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
				early((await hub.publish(event.id, 'dots', { n: 'late commit' }, tx)).id);
				await held;
			});
			const lowId = await earlyId;
			const fast = await db.transaction((tx) => hub.publish(event.id, 'dots', { n: 'first' }, tx));
			expect(fast.id).toBeGreaterThan(lowId);
			release();
			await slow;
			let text = '';
			while (!/late commit/.test(text)) text += (await reader.read()).value ?? '';
			abort.abort();
			expect(text.indexOf('"first"')).toBeLessThan(text.indexOf('late commit'));
		}
	);
});
