import { afterEach, describe, expect, it } from 'vitest';
import {
	beginShutdown,
	finishShutdown,
	isStopping,
	resetShutdown,
	runningRequests,
	track
} from './shutdown';

afterEach(resetShutdown);

const later = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('stopping an instance', () => {
	it('ends the live streams at once, lets running requests finish, then closes the database', async () => {
		const order: string[] = [];
		const request = track(async () => {
			await later(50);
			order.push('request finished');
		});
		beginShutdown(() => order.push('streams closed'));
		expect(isStopping()).toBe(true);
		const finished = await finishShutdown(async () => {
			order.push('database closed');
		}, 5_000);
		await request;
		expect(finished).toBe(true);
		expect(order).toEqual(['streams closed', 'request finished', 'database closed']);
		expect(runningRequests()).toBe(0);
	});

	it('does not wait past its timeout for a request that never ends', async () => {
		void track(() => new Promise(() => {}));
		let closed = false;
		const finished = await finishShutdown(async () => {
			closed = true;
		}, 50);
		expect(finished).toBe(false);
		expect(closed).toBe(true);
	});
});
