import net from 'node:net';
import type { PGlite } from '@electric-sql/pglite';
import { sql } from 'drizzle-orm';
import { drizzle } from 'drizzle-orm/postgres-js';
import postgres from 'postgres';
import { describe, expect, it } from 'vitest';
import { onPostgres, useTestDb } from '../../../../tests/fixtures/db';
import { GET } from '../../../routes/readyz/+server';
import { closeDb, db, openDb, type Db } from '../db';
import { readiness } from './health';

const testDb = useTestDb();

/** A TCP hop in front of PostgreSQL that can be cut and restored, as a network or a restart would. */
function tcpHop(target: URL) {
	let server: net.Server | undefined;
	const sockets = new Set<net.Socket>();
	let port = 0;
	return {
		get port() {
			return port;
		},
		async start() {
			server = net.createServer((client) => {
				const upstream = net.connect(Number(target.port || 5432), target.hostname);
				for (const s of [client, upstream]) {
					sockets.add(s);
					s.on('close', () => sockets.delete(s));
					s.on('error', () => {});
				}
				client.pipe(upstream).pipe(client);
			});
			await new Promise<void>((resolve) => server!.listen(port, '127.0.0.1', resolve));
			port = (server.address() as net.AddressInfo).port;
		},
		async stop() {
			for (const s of sockets) s.destroy();
			await new Promise((resolve) => server?.close(resolve));
		}
	};
}

const status = async () => (await GET({} as never)).status;

describe('/readyz', () => {
	it('is ready on a migrated database', async () => {
		expect(await readiness()).toEqual({ ready: true });
		expect(await status()).toBe(200);
	});

	it('is not ready while the newest migration is missing, and ready once it is back', async () => {
		const [gone] = await db()
			.execute<{ hash: string; created_at: string }>(
				sql`
			delete from drizzle.__drizzle_migrations
			where created_at = (select max(created_at) from drizzle.__drizzle_migrations)
			returning hash, created_at`
			)
			.then((r) => rowsOf<{ hash: string; created_at: string }>(r));
		expect(await readiness()).toEqual({ ready: false, reason: 'migrations' });
		expect(await status()).toBe(503);
		await db().execute(sql`
			insert into drizzle.__drizzle_migrations (hash, created_at)
			values (${gone.hash}, ${gone.created_at})`);
		expect(await readiness()).toEqual({ ready: true });
	});

	it('is not ready when the database is on a closed port', async () => {
		const closed = await freePort();
		const client = postgres(`postgres://postgres@127.0.0.1:${closed}/postgres`, {
			max: 1,
			connect_timeout: 2,
			onnotice: () => {}
		});
		try {
			expect(await readiness(() => drizzle(client) as unknown as Db)).toEqual({
				ready: false,
				reason: 'database'
			});
		} finally {
			await client.end({ timeout: 1 });
		}
	});

	it.runIf(onPostgres())(
		'answers 503 while PostgreSQL is cut off and 200 once it is back',
		async () => {
			const target = new URL(testDb.url()!);
			const hop = tcpHop(target);
			await hop.start();
			const url = new URL(target);
			url.hostname = '127.0.0.1';
			url.port = String(hop.port);
			const client = postgres(url.toString(), { max: 2, connect_timeout: 2, onnotice: () => {} });
			const through = () => drizzle(client) as unknown as Db;
			try {
				expect(await readiness(through)).toEqual({ ready: true });
				await hop.stop();
				expect(await readiness(through)).toEqual({ ready: false, reason: 'database' });
				expect(await readiness(through)).toEqual({ ready: false, reason: 'database' });
				await hop.start();
				expect(await readiness(through)).toEqual({ ready: true });
			} finally {
				await client.end({ timeout: 1 });
				await hop.stop();
			}
		}
	);

	// Last: it closes the app's database and opens it again.
	it("answers 503 while the app's database is closed and 200 once it is open again", async () => {
		const url = testDb.url();
		const copy = url ? undefined : ((await (testDb.handle().client as PGlite).clone()) as PGlite);
		await closeDb();
		expect(await status()).toBe(503);
		await openDb(url ? { url, migrate: false, poolSize: 2 } : { pglite: copy, migrate: false });
		expect(await status()).toBe(200);
	});
});

function rowsOf<T>(result: unknown): T[] {
	return (Array.isArray(result) ? result : (result as { rows: T[] }).rows) as T[];
}

async function freePort(): Promise<number> {
	const server = net.createServer();
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const { port } = server.address() as net.AddressInfo;
	await new Promise((resolve) => server.close(resolve));
	return port;
}
