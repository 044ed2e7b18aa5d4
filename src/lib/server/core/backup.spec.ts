import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { PGlite } from '@electric-sql/pglite';
import postgres from 'postgres';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { actorOf } from '../../../../tests/fixtures/factories';
import { withDatabase } from '../../../../tests/fixtures/global-setup';
import { richEvent } from '../../../../tests/fixtures/transfer';
import { closeDb, dbHandle, openDb } from '../db';
import {
	acquireDataDirLock,
	DataDirInUse,
	lockPathOf,
	releaseDataDirLock
} from '../db/data-dir-lock';
import { exportEvent } from '../transfer/export';
import { backupEmbedded, downloadBackup, restoreEmbedded } from './backup';

// A backup is right when the restored database exports every event exactly as the original:
// the whole-event export reads every table an event touches, people by e-mail, in a fixed order.

const info = inject('testDb');
const scratch = mkdtempSync(path.join(tmpdir(), 'commonspace-backup-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** An event that uses every part of the product, in the open database; returns its export. */
async function eventAndExport() {
	const { event, organiser } = await richEvent();
	return { eventId: event.id, organiser, before: await exportEvent(organiser, event.id) };
}

describe.runIf(info.kind === 'pglite')('PGlite data directory', () => {
	it('backs up while open, restores into a fresh directory, and exports the same event', async () => {
		const original = path.join(scratch, 'original');
		await openDb({ dataDir: original });
		try {
			const { eventId, organiser, before } = await eventAndExport();
			// Through the app's own download, as `npm run backup` asks for it.
			const lock = JSON.parse(readFileSync(lockPathOf(original), 'utf8')) as { token: string };
			const denied = await downloadBackup(null, 'Bearer not-the-token').catch((e) => e);
			expect(denied.kind).toBe('forbidden');
			const backup = await downloadBackup(null, `Bearer ${lock.token}`);
			await closeDb();

			const restored = path.join(scratch, 'restored');
			await restoreEmbedded(backup, restored);
			await openDb({ dataDir: restored, migrate: false });
			expect(await exportEvent(organiser, eventId)).toEqual(before);
		} finally {
			await closeDb();
		}
	});

	it('refuses to restore over a directory that holds data, or one that is open', async () => {
		const dir = path.join(scratch, 'busy');
		await openDb({ dataDir: dir });
		const backup = await backupEmbedded(dbHandle().client as PGlite);
		try {
			await expect(restoreEmbedded(backup, dir)).rejects.toThrow(/not empty/);
			// A second opener of an open directory is stopped: PGlite itself would let it in.
			expect(() => acquireDataDirLock(dir)).toThrow(DataDirInUse);
		} finally {
			await closeDb();
		}
		// Closed, the lock is gone; a lock left by a process that died does not hold it either.
		writeFileSync(lockPathOf(dir), JSON.stringify({ pid: 2 ** 22 + 1, url: '', token: 'x' }));
		acquireDataDirLock(dir);
		releaseDataDirLock(dir);
	});

	it('lets only an admin download without the token', async () => {
		const dir = path.join(scratch, 'admin');
		await openDb({ dataDir: dir });
		try {
			const visitor = await downloadBackup(null, null).catch((e) => e);
			expect(visitor.kind).toBe('unauthenticated');
			const person = await downloadBackup({ id: 1, isAdmin: false }, null).catch((e) => e);
			expect(person.kind).toBe('forbidden');
			const backup = await downloadBackup(actorOf({ id: 1, isAdmin: true }), null);
			expect(backup.size).toBeGreaterThan(0);
		} finally {
			await closeDb();
		}
	});
});

describe.runIf(info.kind === 'postgres')('PostgreSQL with pg_dump and pg_restore', () => {
	it('dumps, restores into a fresh database, and exports the same event', async () => {
		if (info.kind !== 'postgres') return;
		const admin = postgres(info.adminUrl, { max: 1, onnotice: () => {} });
		const source = `${info.prefix}_backup_src`;
		const target = `${info.prefix}_backup_dst`;
		const dump = path.join(scratch, 'commonspace.dump');
		try {
			await admin.unsafe(`create database "${source}" template "${info.template}"`);
			await admin.unsafe(`create database "${target}"`);
			await openDb({ url: withDatabase(info.adminUrl, source), migrate: false, poolSize: 4 });
			const { eventId, organiser, before } = await eventAndExport();
			await closeDb();

			// The commands the README gives, with the test server's URLs.
			execFileSync('pg_dump', [
				'--format=custom',
				`--file=${dump}`,
				withDatabase(info.adminUrl, source)
			]);
			execFileSync('pg_restore', [
				'--no-owner',
				`--dbname=${withDatabase(info.adminUrl, target)}`,
				dump
			]);

			await openDb({ url: withDatabase(info.adminUrl, target), migrate: false, poolSize: 4 });
			expect(await exportEvent(organiser, eventId)).toEqual(before);
		} finally {
			await closeDb();
			await admin.unsafe(`drop database if exists "${source}" with (force)`);
			await admin.unsafe(`drop database if exists "${target}" with (force)`);
			await admin.end();
		}
	});
});
