import { describe, expect, it } from 'vitest';
import { onPostgres, useTestDb } from '../../../../tests/fixtures/db';
import { makeEvent } from '../../../../tests/fixtures/factories';
import { live } from './hub';
import { liveResponse } from './stream';

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
});
