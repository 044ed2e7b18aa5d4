import { closeSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import path from 'node:path';
import { randomString } from '../auth/tokens';

/**
 * PGlite opens a data directory that another process has open without complaint, and two
 * writers corrupt it. So whoever opens one (the app, `npm run demo`, a restore) leaves a lock
 * file beside it with its pid, the address the app answers on, and a token with which
 * `npm run backup` may ask the running app for a copy (whoever can read the lock can read
 * the data directory itself, so the token grants nothing more).
 */
export interface DataDirLock {
	pid: number;
	url: string;
	token: string;
}

export const lockPathOf = (dataDir: string) => `${path.resolve(dataDir)}.lock`;

const held = new Map<string, DataDirLock>();

function alive(pid: number): boolean {
	try {
		process.kill(pid, 0);
		return true;
	} catch (e) {
		return (e as NodeJS.ErrnoException).code === 'EPERM';
	}
}

/** The lock of a process that still runs, or null when the directory is free. */
export function readDataDirLock(dataDir: string): DataDirLock | null {
	const file = lockPathOf(dataDir);
	if (held.has(file)) return held.get(file)!;
	let lock: DataDirLock;
	try {
		lock = JSON.parse(readFileSync(file, 'utf8')) as DataDirLock;
	} catch {
		return null;
	}
	// Our own pid in a lock we do not hold is a previous life of this container (pid 1 again).
	if (lock.pid === process.pid || !alive(lock.pid)) return null;
	return lock;
}

export class DataDirInUse extends Error {
	constructor(
		dataDir: string,
		readonly lock: DataDirLock
	) {
		super(`${dataDir} is in use by process ${lock.pid}; stop it first`);
	}
}

export function acquireDataDirLock(dataDir: string): DataDirLock {
	const file = lockPathOf(dataDir);
	const current = readDataDirLock(dataDir);
	if (current) throw new DataDirInUse(dataDir, current);
	const lock: DataDirLock = {
		pid: process.pid,
		url: process.env.BACKUP_URL || `http://127.0.0.1:${process.env.PORT || 3000}`,
		token: randomString(40)
	};
	rmSync(file, { force: true });
	// 'wx': if another process took it in between, this fails instead of sharing it.
	const fd = openSync(file, 'wx', 0o600);
	try {
		writeSync(fd, JSON.stringify(lock));
	} finally {
		closeSync(fd);
	}
	held.set(file, lock);
	return lock;
}

export function releaseDataDirLock(dataDir: string): void {
	const file = lockPathOf(dataDir);
	if (!held.delete(file)) return;
	rmSync(file, { force: true });
}
