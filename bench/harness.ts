import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import postgres from 'postgres';

// Shared by the benchmarks: a fresh PostgreSQL database, the built app, timed HTTP bursts.

export function adminUrl(): string {
	return (
		process.env.BENCH_DATABASE_URL ??
		process.env.TEST_DATABASE_URL ??
		'postgres://postgres@127.0.0.1:5432/postgres'
	);
}

export function withDatabase(url: string, database: string): string {
	const u = new URL(url);
	u.pathname = `/${database}`;
	return u.toString();
}

export async function freshDatabase(
	prefix: string
): Promise<{ url: string; drop: () => Promise<void> }> {
	const name = `${prefix}_${Date.now().toString(36)}`;
	const admin = postgres(adminUrl(), { max: 1, onnotice: () => {} });
	await admin.unsafe(`create database "${name}"`);
	return {
		url: withDatabase(adminUrl(), name),
		drop: async () => {
			await admin.unsafe(`drop database if exists "${name}" with (force)`);
			await admin.end();
		}
	};
}

export function buildApp(): void {
	if (process.env.BENCH_SKIP_BUILD && existsSync('build/index.js')) return;
	const r = spawnSync('npx', ['vite', 'build'], { stdio: ['ignore', 'ignore', 'inherit'] });
	if (r.status !== 0) throw new Error('build failed');
}

export async function startApp(port: number, env: Record<string, string>): Promise<ChildProcess> {
	const child = spawn('node', ['server.js'], {
		env: { ...process.env, PORT: String(port), ORIGIN: `http://localhost:${port}`, ...env },
		stdio: ['ignore', 'ignore', 'inherit']
	});
	for (let i = 0; i < 300; i++) {
		try {
			await fetch(`http://localhost:${port}/`, { redirect: 'manual' });
			return child;
		} catch {
			await new Promise((r) => setTimeout(r, 100));
		}
	}
	child.kill();
	throw new Error('app did not start');
}

/**
 * SIGTERM, as an orchestrator stops it; past `withinMs` the process is killed. Answers whether
 * it exited by itself in time.
 */
export async function stopApp(child: ChildProcess, withinMs = 45_000): Promise<boolean> {
	if (child.exitCode !== null || child.signalCode !== null) return true;
	const exited = new Promise<boolean>((r) => child.once('exit', () => r(true)));
	child.kill('SIGTERM');
	let timer: ReturnType<typeof setTimeout> | undefined;
	const inTime = await Promise.race([
		exited,
		new Promise<false>((r) => (timer = setTimeout(() => r(false), withinMs)))
	]);
	clearTimeout(timer);
	if (!inTime) {
		child.kill('SIGKILL');
		await exited;
	}
	return inTime;
}

export interface Burst {
	count: number;
	seconds: number;
	latencies: number[];
	statuses: Record<string, number>;
}

/** Fire `count` requests at once and time each; the burst's rate counts all of them. */
export async function burst(
	count: number,
	request: (i: number) => Promise<Response>
): Promise<Burst> {
	const latencies: number[] = [];
	const statuses: Record<string, number> = {};
	const started = performance.now();
	await Promise.all(
		Array.from({ length: count }, async (_, i) => {
			const t0 = performance.now();
			let key: string;
			try {
				const res = await request(i);
				await res.arrayBuffer();
				key = String(res.status);
			} catch (e) {
				key = e instanceof Error ? e.name : 'error';
			}
			latencies.push(performance.now() - t0);
			statuses[key] = (statuses[key] ?? 0) + 1;
		})
	);
	return { count, seconds: (performance.now() - started) / 1000, latencies, statuses };
}

export function percentile(values: number[], p: number): number {
	const sorted = [...values].sort((a, b) => a - b);
	return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

export const round = (n: number, digits = 1) => Math.round(n * 10 ** digits) / 10 ** digits;
