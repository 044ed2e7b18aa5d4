import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import { serveLive } from '../live/node';
import type { LiveStreamOptions } from '../live/stream';
import { log } from './log';

// The production server (server.js, adapter-node's custom-server form): a plain `node:http`
// server that serves the events' live streams itself (live/node.ts) and passes every other
// request to SvelteKit's handler (build/handler.js). server.js finds `serve` on `globalThis`
// once SvelteKit's `init` has run, so both use this one bundle: one database, one hub.
//
// Stopping (SIGTERM, SIGINT), as adapter-node's own server does: no new connections, idle ones
// closed, live streams ended (hooks.server.ts ends them on the same signal), requests that
// arrive on a kept-alive connection refused with 503 (by the hooks), running ones finish; once
// every connection is closed (or after SHUTDOWN_TIMEOUT seconds, when the rest are cut)
// `sveltekit:shutdown` closes the hub and the database and the process exits.

/** adapter-node's handler (a polka middleware). */
export type Handler = (req: IncomingMessage, res: ServerResponse, next: () => void) => void;

export const SERVE = Symbol.for('commonspace.serve');

function notFound(this: ServerResponse) {
	this.writeHead(404, { 'content-type': 'text/plain' }).end('Not found\n');
}

export interface FrontOptions {
	shutdownTimeoutMs: number;
	keepAliveTimeoutMs?: number;
	headersTimeoutMs?: number;
	/** The live streams' limits (specs set small ones). */
	live?: LiveStreamOptions;
}

/** The server, not yet listening, and how to stop it (resolves once every connection is closed). */
export function frontServer(
	handler: Handler,
	options: FrontOptions
): { server: http.Server; stop: () => Promise<void> } {
	let stopping = false;
	const server = http.createServer((req, res) => {
		serveLive(req, res, options.live).then(
			(served) => served || handler(req, res, notFound.bind(res)),
			(err: unknown) => {
				log.error({ err }, 'the live stream failed');
				if (!res.headersSent) handler(req, res, notFound.bind(res));
				else res.destroy();
			}
		);
	});
	if (options.keepAliveTimeoutMs !== undefined)
		server.keepAliveTimeout = options.keepAliveTimeoutMs;
	if (options.headersTimeoutMs !== undefined) server.headersTimeout = options.headersTimeoutMs;
	// While stopping, a connection whose answer is done closes instead of waiting for another.
	const closeIdle = () => {
		if (stopping) server.closeIdleConnections();
	};
	server.on('request', (req: IncomingMessage) => req.once('close', closeIdle));

	const stop = () =>
		new Promise<void>((resolve) => {
			stopping = true;
			const cut = setTimeout(() => server.closeAllConnections(), options.shutdownTimeoutMs);
			server.close(() => {
				clearTimeout(cut);
				resolve();
			});
			server.closeIdleConnections();
		});
	return { server, stop };
}

// adapter-node's event, which hooks.server.ts listens for (not among Node's own process events).
const emit = process.emit.bind(process) as (event: string, ...args: unknown[]) => boolean;

const seconds = (name: string) => {
	const value = process.env[name];
	return value && /^\d+$/.test(value) ? Number(value) * 1000 : undefined;
};

/** Listen on HOST:PORT and stop on SIGTERM/SIGINT (what server.js calls). */
export function serve(handler: Handler): http.Server {
	const { server, stop } = frontServer(handler, {
		shutdownTimeoutMs: seconds('SHUTDOWN_TIMEOUT') ?? 30_000,
		keepAliveTimeoutMs: seconds('KEEP_ALIVE_TIMEOUT'),
		headersTimeoutMs: seconds('HEADERS_TIMEOUT')
	});
	const host = process.env.HOST || '0.0.0.0';
	const port = Number(process.env.PORT || 3000);
	server.listen({ host, port }, () => log.info({ host, port }, 'listening'));
	let stopped = false;
	const onSignal = (reason: NodeJS.Signals) => {
		if (stopped) return;
		stopped = true;
		void stop().then(() => emit('sveltekit:shutdown', reason));
	};
	process.on('SIGTERM', onSignal);
	process.on('SIGINT', onSignal);
	return server;
}

/** Make `serve` available to server.js (called from SvelteKit's `init`). */
export function offerServe(): void {
	(globalThis as Record<symbol, unknown>)[SERVE] = serve;
}
