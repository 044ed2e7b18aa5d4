// `npm run backup [-- --out file]` and `npm run restore -- <file> [--into dir]`, for PGlite's data
// directory (PGLITE_DIR). On PostgreSQL use pg_dump and pg_restore (README: "Backups").
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { backupEmbedded, restoreEmbedded } from './backup';
import { config } from './config';
import { closeDb, dbHandle, openDb } from '../db';
import { readDataDirLock } from '../db/data-dir-lock';

const [command, ...args] = process.argv.slice(2);
const option = (name: string) => {
	const i = args.indexOf(name);
	return i >= 0 ? args[i + 1] : undefined;
};

function fail(message: string): never {
	console.error(message);
	process.exit(1);
}

if (config.databaseUrl) {
	fail('DATABASE_URL is set: back up PostgreSQL with pg_dump and restore with pg_restore.');
}
const dataDir = config.pgliteDir;
if (dataDir.startsWith('memory://')) fail('PGLITE_DIR is in memory: there is nothing to back up.');

if (command === 'backup') {
	const stamp = new Date().toISOString().replace(/[:.]/g, '-');
	const out = option('--out') ?? path.join('backups', `commonspace-${stamp}.tar.gz`);
	const lock = readDataDirLock(dataDir);
	let backup: Blob;
	if (lock) {
		// The app holds the directory: only it may read it, so it is asked for the copy.
		const response = await fetch(`${lock.url}/admin/backup`, {
			headers: { authorization: `Bearer ${lock.token}` }
		}).catch((e: unknown) => fail(`The app (pid ${lock.pid}) did not answer at ${lock.url}: ${e}`));
		if (!response.ok) fail(`The app answered ${response.status} at ${lock.url}/admin/backup`);
		backup = await response.blob();
	} else {
		await openDb({ dataDir, migrate: false });
		backup = await backupEmbedded(dbHandle().client as PGlite);
		await closeDb();
	}
	mkdirSync(path.dirname(path.resolve(out)), { recursive: true });
	writeFileSync(out, Buffer.from(await backup.arrayBuffer()), { mode: 0o600 });
	console.log(`Backup of ${dataDir} written to ${out} (${backup.size} bytes)`);
} else if (command === 'restore') {
	const file = args.find((a, i) => !a.startsWith('--') && args[i - 1] !== '--into');
	if (!file) fail('Usage: npm run restore -- <backup.tar.gz> [--into <new data directory>]');
	const into = option('--into') ?? dataDir;
	try {
		await restoreEmbedded(new Blob([readFileSync(file)]), into);
	} catch (e) {
		fail(`Not restored: ${e instanceof Error ? e.message : e}`);
	}
	console.log(`Restored ${file} into ${into}. Start the app with PGLITE_DIR=${into}.`);
} else {
	fail('Usage: backup-cli.ts backup [--out file] | restore <file> [--into dir]');
}
