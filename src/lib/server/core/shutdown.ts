// Stopping an instance cleanly (SIGTERM from the orchestrator, Ctrl-C): live streams are closed at
// once so their browsers reconnect elsewhere, requests already running finish, requests that
// arrive meanwhile on a kept-alive connection are refused with 503, and only then is the
// database closed, so no request ever finds it gone. If requests do not finish in time the
// process exits anyway.

let running = 0;
let stopping = false;
let idle: (() => void) | undefined;

/** Whether the instance is stopping: new requests are refused. */
export const isStopping = () => stopping;

/** Count a request while it runs; `shutdown` waits for those. */
export async function track<T>(work: () => T | Promise<T>): Promise<T> {
	running++;
	try {
		return await work();
	} finally {
		running--;
		if (running === 0) idle?.();
	}
}

/** Requests running now. */
export const runningRequests = () => running;

/** Start stopping: from now on new requests are refused; `closeStreams` ends the live ones. */
export function beginShutdown(closeStreams: () => void): void {
	stopping = true;
	closeStreams();
}

/**
 * Wait for the running requests (at most `timeoutMs`), then close what they used. Answers
 * whether every request finished.
 */
export async function finishShutdown(
	close: () => Promise<void>,
	timeoutMs: number
): Promise<boolean> {
	stopping = true;
	let timer: ReturnType<typeof setTimeout> | undefined;
	const finished =
		running === 0 ||
		(await Promise.race([
			new Promise<true>((resolve) => (idle = () => resolve(true))),
			new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), timeoutMs)))
		]));
	clearTimeout(timer);
	await close();
	return finished;
}

/** For specs: back to a running instance. */
export function resetShutdown(): void {
	stopping = false;
	idle = undefined;
}
