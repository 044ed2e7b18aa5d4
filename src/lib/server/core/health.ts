import { readFileSync } from 'node:fs';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import { dbHandle, migrationsFolder, type Db } from '../db';

export interface Readiness {
	ready: boolean;
	/** Why not, in a word an operator can search the README for. */
	reason?: 'database' | 'migrations';
}

/** A probe that hangs is a failed probe: a load balancer polling every few seconds must not pile up. */
export const READY_TIMEOUT_MS = 2_000;

let newest: number | undefined;

/**
 * The newest migration this build ships. Read once: it is part of the deployed code, so it cannot
 * change while the process runs (the database's side is asked every time).
 */
function newestShippedMigration(): number {
	if (newest === undefined) {
		const journal = JSON.parse(
			readFileSync(path.join(migrationsFolder, 'meta', '_journal.json'), 'utf8')
		) as { entries: { when: number }[] };
		newest = Math.max(...journal.entries.map((e) => e.when));
	}
	return newest;
}

/**
 * Whether this instance can serve: the database answers, and it has every migration this build
 * ships (drizzle records each applied one by its journal time). One indexed-free read of a table
 * of a dozen rows, so polling it every few seconds costs nothing.
 */
export async function readiness(database: () => Db = () => dbHandle().db): Promise<Readiness> {
	let timer: ReturnType<typeof setTimeout> | undefined;
	const timeout = new Promise<'timeout'>((resolve) => {
		timer = setTimeout(() => resolve('timeout'), READY_TIMEOUT_MS);
	});
	try {
		const answer = await Promise.race([
			database().execute<{ last: string | number | null }>(
				sql`select max(created_at) as last from drizzle.__drizzle_migrations`
			),
			timeout
		]);
		if (answer === 'timeout') return { ready: false, reason: 'database' };
		const rows = Array.isArray(answer) ? answer : (answer as { rows: unknown[] }).rows;
		const last = Number((rows[0] as { last: string | number | null } | undefined)?.last ?? 0);
		return last >= newestShippedMigration()
			? { ready: true }
			: { ready: false, reason: 'migrations' };
	} catch {
		return { ready: false, reason: 'database' };
	} finally {
		clearTimeout(timer);
	}
}
