import { AsyncLocalStorage } from 'node:async_hooks';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import { drizzle as drizzlePostgres } from 'drizzle-orm/postgres-js';
import { migrate as migratePostgres } from 'drizzle-orm/postgres-js/migrator';
import postgres from 'postgres';
import { config } from '../core/config';
import { acquireDataDirLock, releaseDataDirLock } from './data-dir-lock';
import * as actions from './schema/actions';
import * as activity from './schema/activity';
import * as agenda from './schema/agenda';
import * as directory from './schema/directory';
import * as events from './schema/events';
import * as feeds from './schema/feeds';
import * as harvest from './schema/harvest';
import * as live from './schema/live';
import * as mail from './schema/mail';
import * as marketplace from './schema/marketplace';
import * as talks from './schema/talks';
import * as team from './schema/team';
import * as tickets from './schema/tickets';
import * as transfer from './schema/transfer';
import * as signIn from './schema/sign-in';
import * as users from './schema/users';

/** Every table, as drizzle's relational queries and `db().select().from(schema.x)` use them. */
export const schema = {
	...users,
	...signIn,
	...mail,
	...events,
	...team,
	...activity,
	...actions,
	...tickets,
	...talks,
	...live,
	...marketplace,
	...agenda,
	...harvest,
	...directory,
	...feeds,
	...transfer
};
export type Db = PgDatabase<PgQueryResultHKT, typeof schema>;
/** A transaction handle; domain helpers accept either. */
export type Tx = Parameters<Parameters<Db['transaction']>[0]>[0];

export const migrationsFolder = process.env.MIGRATIONS_DIR || path.resolve('drizzle');

interface Handle {
	db: Db;
	close: () => Promise<void>;
	kind: 'pglite' | 'postgres';
	/** The raw client, for LISTEN/NOTIFY and tests. */
	client: PGlite | postgres.Sql;
	/** PGlite's data directory on disk, when there is one (backups are taken from it). */
	dataDir?: string;
}

let handle: Handle | undefined;

// While `inTransaction` runs, `db()` and `prepared()` work inside its transaction, so a domain
// call made there (its own transactions become savepoints) commits or rolls back with it.
const scope = new AsyncLocalStorage<Tx>();

/** The open database. Domain modules call this; it throws if `openDb` has not run. */
export function db(): Db {
	const tx = scope.getStore();
	if (tx) return tx as unknown as Db;
	if (!handle) throw new Error('Database is not open: call openDb() first');
	return handle.db;
}

/** Run `fn` in one transaction that every `db()` and `prepared()` call inside it joins. */
export function inTransaction<T>(fn: (tx: Tx) => Promise<T>): Promise<T> {
	return db().transaction((tx) => scope.run(tx, () => fn(tx)));
}

export function dbHandle(): Handle {
	if (!handle) throw new Error('Database is not open: call openDb() first');
	return handle;
}

/**
 * One statement on a hot path, sent as a prepared statement (parsed and planned once per
 * connection) straight to the driver, without drizzle's query building or row mapping. Rows come
 * back as the database names their columns.
 */
export async function prepared<Row extends Record<string, unknown>>(
	text: string,
	params: (string | number | boolean | null)[]
): Promise<Row[]> {
	const h = dbHandle();
	// Inside `inTransaction`, the statement goes to the transaction's own connection.
	const tx = scope.getStore() as unknown as { session: { client: unknown } } | undefined;
	const client = tx ? tx.session.client : h.client;
	if (h.kind === 'postgres')
		return (await (client as postgres.Sql).unsafe<Row[]>(text, params, {
			prepare: true
		})) as Row[];
	return (await (client as Pick<PGlite, 'query'>).query<Row>(text, params)).rows;
}

export interface OpenOptions {
	/** postgres:// URL; when absent PGlite is used. */
	url?: string;
	/** PGlite data directory, or `memory://`. */
	dataDir?: string;
	/** An already-created PGlite (tests clone one migrated instance per file). */
	pglite?: PGlite;
	migrate?: boolean;
	poolSize?: number;
}

/**
 * PGlite runs each statement in this process, and hands the next queued one its turn from a
 * promise callback: with statements queued (a storm of votes), one ran after another without the
 * event loop ever reaching its I/O phase, so no connection was accepted or read, no live message
 * written and no timer fired until the queue was empty (seconds; new connections overflowed the
 * listen backlog and the voters' own connects timed out: the bench's transport errors). Each
 * statement now first lets the event loop turn once.
 */
function yieldBetweenStatements(client: PGlite) {
	if ((client as { [YIELDS]?: true })[YIELDS]) return;
	const run = client._runExclusiveQuery.bind(client);
	client._runExclusiveQuery = <T>(fn: () => Promise<T>) =>
		run(async () => {
			await new Promise((resolve) => setImmediate(resolve));
			return fn();
		});
	(client as { [YIELDS]?: true })[YIELDS] = true;
}
const YIELDS = Symbol('yields between statements');

export async function openDb(options: OpenOptions = {}): Promise<Handle> {
	if (handle) return handle;
	const url = options.url ?? config.databaseUrl;
	const shouldMigrate = options.migrate ?? true;
	if (url && !options.pglite) {
		const client = postgres(url, {
			max: options.poolSize ?? Number(process.env.DATABASE_POOL_SIZE || 10),
			onnotice: () => {}
		});
		const instance = drizzlePostgres(client, { schema, casing: 'snake_case' });
		if (shouldMigrate) await migratePostgres(instance, { migrationsFolder });
		handle = {
			db: instance as unknown as Db,
			close: () => client.end({ timeout: 5 }),
			kind: 'postgres',
			client
		};
	} else {
		let client = options.pglite;
		let onDisk: string | undefined;
		if (!client) {
			const dataDir = options.dataDir ?? config.pgliteDir;
			if (!dataDir.startsWith('memory://')) {
				mkdirSync(dataDir, { recursive: true });
				acquireDataDirLock(dataDir);
				onDisk = dataDir;
			}
			client = new PGlite(dataDir);
		}
		yieldBetweenStatements(client);
		const instance = drizzlePglite(client, { schema, casing: 'snake_case' });
		if (shouldMigrate) await migratePglite(instance, { migrationsFolder });
		const pg = client;
		handle = {
			db: instance as unknown as Db,
			close: async () => {
				await pg.close();
				if (onDisk) releaseDataDirLock(onDisk);
			},
			kind: 'pglite',
			client: pg,
			dataDir: onDisk
		};
	}
	return handle;
}

export async function closeDb(): Promise<void> {
	const h = handle;
	handle = undefined;
	if (h) await h.close();
}
