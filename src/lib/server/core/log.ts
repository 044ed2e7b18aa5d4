import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';
import { pino, type DestinationStream, type Level } from 'pino';
import pretty from 'pino-pretty';

/**
 * The server's one logger: a JSON object per line (pino), or readable lines when stdout is a
 * terminal. Every line written while a request (or a sweep) is handled carries its id, so a
 * domain error, a mail or a failed refund can be matched to the request that caused it.
 */
interface LogContext {
	reqId: string;
}

const context = new AsyncLocalStorage<LogContext>();

const LEVELS: readonly string[] = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

function level(): Level | 'silent' {
	const wanted = process.env.LOG_LEVEL?.toLowerCase();
	if (wanted && LEVELS.includes(wanted)) return wanted as Level | 'silent';
	// Specs provoke failures on purpose; only what is worse than expected is shown there.
	return process.env.VITEST ? 'warn' : 'info';
}

function destination(): DestinationStream {
	const format = process.env.LOG_FORMAT ?? (process.stdout.isTTY ? 'pretty' : 'json');
	if (format === 'pretty') {
		return pretty({
			colorize: process.stdout.isTTY,
			sync: true,
			singleLine: true,
			ignore: 'pid,hostname'
		});
	}
	return pino.destination({ dest: 1, sync: true });
}

export const log = pino(
	{
		level: level(),
		mixin: () => {
			const current = context.getStore();
			return current ? { reqId: current.reqId } : {};
		},
		serializers: { err: pino.stdSerializers.err },
		// Words and ISO times read better in a log viewer than pino's numbers.
		formatters: { level: (label) => ({ level: label }) },
		timestamp: pino.stdTimeFunctions.isoTime
	},
	destination()
);

/** Run `work` with `reqId` on every log line it writes, across awaits. */
export function withRequestId<T>(reqId: string, work: () => T): T {
	return context.run({ reqId }, work);
}

/** The id of the request (or sweep) being handled, if any. */
export function currentRequestId(): string | undefined {
	return context.getStore()?.reqId;
}

// A proxy's id is kept (nginx `$request_id`, a load balancer's trace id) when it looks like one,
// so its access log and ours line up; anything else gets a fresh id.
const GOOD_ID = /^[\w.:-]{8,128}$/;

export function requestIdFrom(headers: Headers): string {
	return requestId(headers.get('x-request-id'));
}

/** The request's id from its `X-Request-Id` header's value, or a fresh one. */
export function requestId(given: string | null | undefined): string {
	return given && GOOD_ID.test(given) ? given : randomUUID();
}
