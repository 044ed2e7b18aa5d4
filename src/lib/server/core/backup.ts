import { readdirSync } from 'node:fs';
import { PGlite } from '@electric-sql/pglite';
import { requireAdmin, type Actor } from '../auth/guards';
import { constantTimeEqual } from '../auth/tokens';
import { dbHandle } from '../db';
import { acquireDataDirLock, readDataDirLock, releaseDataDirLock } from '../db/data-dir-lock';
import { DomainError, forbidden } from './errors';
import { log } from './log';

/**
 * A copy of a PGlite database as a gzipped tar of its data directory (PGlite's own
 * `dumpDataDir`). It is taken inside a transaction of the running app: PGlite runs one
 * transaction at a time, so every other query waits until the copy is done and none is half
 * written in it; CHECKPOINT first writes everything to the data files, so the copy needs no
 * crash recovery to open. Copying the directory with `cp` while the app runs has neither.
 */
export async function backupEmbedded(client: PGlite): Promise<Blob> {
	return client.transaction(async (tx) => {
		await tx.exec('checkpoint');
		return client.dumpDataDir('gzip');
	});
}

/** Whether this instance runs on the embedded database (backups) or PostgreSQL (pg_dump). */
export const runsEmbedded = () => dbHandle().kind === 'pglite';

/**
 * The running app's backup, for an admin (the /admin page) or for `npm run backup` on the same
 * machine, which shows the token from the data directory's lock file.
 */
export async function downloadBackup(actor: Actor, authorization: string | null): Promise<Blob> {
	const handle = dbHandle();
	if (handle.kind !== 'pglite') {
		throw new DomainError('not_found', 'This instance runs on PostgreSQL: use pg_dump');
	}
	const lock = handle.dataDir ? readDataDirLock(handle.dataDir) : null;
	const bearer = authorization?.match(/^Bearer (\S+)$/)?.[1];
	if (bearer) {
		if (!lock || !constantTimeEqual(bearer, lock.token)) throw forbidden();
	} else {
		requireAdmin(actor);
	}
	const started = performance.now();
	const blob = await backupEmbedded(handle.client as PGlite);
	log.info({ bytes: blob.size, ms: Math.round(performance.now() - started) }, 'backup taken');
	return blob;
}

/**
 * Unpack a backup into `dataDir`, which must be empty (or absent) and not open anywhere: a
 * restore never overwrites a database.
 */
export async function restoreEmbedded(backup: Blob, dataDir: string): Promise<void> {
	let entries: string[] = [];
	try {
		entries = readdirSync(dataDir);
	} catch {
		// absent: PGlite creates it
	}
	if (entries.length) throw new Error(`${dataDir} is not empty; restore into a new directory`);
	acquireDataDirLock(dataDir);
	try {
		const pg = await PGlite.create(dataDir, { loadDataDir: backup });
		await pg.query('select 1');
		await pg.close();
	} finally {
		releaseDataDirLock(dataDir);
	}
}
