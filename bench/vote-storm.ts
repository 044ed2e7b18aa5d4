import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { fork, type ChildProcess } from 'node:child_process';
import { request } from 'node:http';
import path from 'node:path';
import { parse as devalueParse } from 'devalue';
import { eq } from 'drizzle-orm';
import postgres from 'postgres';
import { votingRound } from '../tests/fixtures/marketplace';
import { createSession } from '../src/lib/server/auth/session';
import { closeDb, db, openDb, schema } from '../src/lib/server/db';
import { setEventStatus } from '../src/lib/server/events/events';
import { buildApp, freshDatabase, percentile, round, startApp, stopApp } from './harness';

// An event shaped like OPEN 2019 (150 ticket holders, 40 proposals, 5 dots each, at most 2 on
// one proposal) at the moment voting opens: every attendee places all 5 dots at once, while one
// of them fires 50 more from two phones, all through the built app. `BENCH_SCREENS` screens
// (1,000 by default) follow the event's live stream over HTTP and we time how long each dot takes
// to reach every one of them. Then the same storm, screens and all, runs from an empty ledger
// against a bare server doing the same correct dot transaction (vote-baseline.ts) on the same
// database, so `ratio` (app votes/s over the bare server's) means the same on any machine. The
// storm runs on PGlite, the default database, then on PostgreSQL; each prints one flat JSON line.

const VOTERS = 150;
const PROPOSALS = 40;
const BUDGET = 5;
const LIMIT = 2;
const PHONE_CASTS = 50;
const POOL = 20;
const PORT = Number(process.env.BENCH_PORT ?? 5299);
/** Screens following the live stream, each a real HTTP SSE client (voters' phones and walls). */
const SCREENS = Number(process.env.BENCH_SCREENS ?? 1000);
/** `BENCH_DATABASES=postgres` (or `pglite`) runs one of the two. */
const DATABASES = (process.env.BENCH_DATABASES ?? 'postgres,pglite').split(',');
// live/hub.ts announces on this channel; listening to it ourselves marks the moment of commit.
const LIVE_CHANNEL = 'commonspace_live';

interface Seeded {
	slug: string;
	roundId: number;
	voters: { id: number; token: string }[];
	proposalIds: number[];
}

async function seed(): Promise<Seeded> {
	// Every ticket sends a confirmation; without SMTP it would fill the terminal.
	const info = console.info;
	console.info = () => {};
	try {
		const r = await votingRound({
			attendees: VOTERS,
			proposals: PROPOSALS,
			budget: BUDGET,
			limit: LIMIT
		});
		await setEventStatus(r.organiser, r.event.id, 'published');
		const voters = [];
		for (const a of r.attendees)
			voters.push({ id: a.id, token: (await createSession(a.id)).token });
		return {
			slug: r.event.slug,
			roundId: r.round.id,
			voters,
			proposalIds: r.proposals.map((p) => p.id)
		};
	} finally {
		console.info = info;
	}
}

// A fixed pseudo-random sequence, so both databases and every run face the same storm.
function mulberry32(seed: number) {
	return () => {
		seed = (seed + 0x6d2b79f5) | 0;
		let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
		t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
}

/** Who puts a dot where: popular proposals draw more, and a few people try a third dot. */
function stormPlan(s: Seeded): { voter: number; proposalId: number }[] {
	const random = mulberry32(2019);
	const weights = s.proposalIds.map((_, i) => 1 / (i + 1) ** 0.8);
	const sum = weights.reduce((a, b) => a + b, 0);
	const pick = () => {
		let x = random() * sum;
		for (let i = 0; i < weights.length; i++) if ((x -= weights[i]) <= 0) return s.proposalIds[i];
		return s.proposalIds[weights.length - 1];
	};
	const plan = [];
	for (let v = 0; v < s.voters.length; v++)
		for (let k = 0; k < BUDGET; k++) plan.push({ voter: v, proposalId: pick() });
	// Voter 0 on two phones: taps across four proposals, far past the budget.
	for (let k = 0; k < PHONE_CASTS; k++) plan.push({ voter: 0, proposalId: s.proposalIds[k % 4] });
	return plan;
}

interface Subscriber {
	/** Message id of each 'dots' frame, and when it arrived. */
	received: Map<number, number>;
	close: () => void;
}

/**
 * Follow the event's live stream as a phone does, over its own HTTP connection; `keys` learns
 * each dot message's totals. (node:http rather than fetch: thousands of screens in this one
 * process must cost it little, or they would slow the servers' figures down.)
 */
function follow(
	port: number,
	slug: string,
	token: string,
	keys: Map<number, string>
): Promise<Subscriber> {
	const received = new Map<number, number>();
	return new Promise((resolve, reject) => {
		const req = request(
			{
				host: '127.0.0.1',
				port,
				path: `/e/${slug}/live`,
				agent: false,
				headers: { accept: 'text/event-stream', cookie: `session=${token}` }
			},
			(res) => {
				if (res.statusCode !== 200) {
					res.resume();
					return reject(new Error(`live stream answered ${res.statusCode}`));
				}
				res.setEncoding('utf8');
				let buffer = '';
				res.on('data', (value: string) => {
					const now = performance.now();
					buffer += value;
					let end;
					while ((end = buffer.indexOf('\n\n')) >= 0) {
						const frame = buffer.slice(0, end);
						buffer = buffer.slice(end + 2);
						// The stream says `retry:` once the server has this screen on its list.
						if (frame.startsWith('retry:')) resolve({ received, close: () => req.destroy() });
						const id = /^id: (\d+)$/m.exec(frame);
						if (!id || !/^event: dots$/m.test(frame)) continue;
						received.set(Number(id[1]), now);
						const data = /^data: (.*)$/m.exec(frame);
						if (data && !keys.has(Number(id[1]))) {
							const dot = JSON.parse(data[1]) as { proposalId: number; total: number };
							keys.set(Number(id[1]), `${dot.proposalId}:${dot.total}`);
						}
					}
				});
				res.on('error', () => {});
			}
		);
		req.on('error', reject);
		req.end();
	});
}

interface Cast {
	ms: number;
	outcome: string;
	/** `proposalId:total` the answer reported, to pair it with its live message. */
	key?: string;
	at: number;
}

/** A dot answered later than this counts as lost. */
const ANSWER_WITHIN_MS = 60_000;

async function cast(origin: string, slug: string, token: string, proposalId: number) {
	const t0 = performance.now();
	let outcome: string;
	let key: string | undefined;
	try {
		// As the enhanced dot button sends it: the answer is SvelteKit's action JSON.
		const res = await fetch(`${origin}/e/${slug}/marketplace?/dot`, {
			method: 'POST',
			redirect: 'manual',
			headers: {
				origin,
				cookie: `session=${token}`,
				'content-type': 'application/x-www-form-urlencoded',
				'x-sveltekit-action': 'true',
				accept: 'application/json'
			},
			body: new URLSearchParams({ proposalId: String(proposalId) }),
			signal: AbortSignal.timeout(ANSWER_WITHIN_MS)
		});
		const text = await res.text();
		const body = (text.startsWith('{') ? JSON.parse(text) : { type: 'HTTP' }) as {
			type: string;
			status?: number;
			data?: string;
		};
		outcome = body.type === 'success' ? 'placed' : `${body.type} ${body.status ?? res.status}`;
		if (body.type === 'success' && body.data) {
			const { dot } = devalueParse(body.data) as { dot: { proposalId: number; total: number } };
			key = `${dot.proposalId}:${dot.total}`;
		}
	} catch (e) {
		// No answer in time: lost; the connection failing: a transport error.
		// (the cause's code is kept, to tell a reset connection from a refused one).
		const cause = (e as { cause?: { code?: string } }).cause?.code;
		outcome =
			e instanceof Error && e.name === 'TimeoutError'
				? 'unanswered'
				: `transport${cause ? ` ${cause}` : ''}`;
	}
	const at = performance.now();
	return { ms: at - t0, outcome, key, at } satisfies Cast;
}

/** The counters as the database holds them after the storm. */
async function invariants(s: Seeded) {
	const dots = await db().select().from(schema.dots).where(eq(schema.dots.roundId, s.roundId));
	const budgets = await db()
		.select()
		.from(schema.dotBudgets)
		.where(eq(schema.dotBudgets.roundId, s.roundId));
	const dotsOf = new Map<number, number>();
	for (const d of dots) dotsOf.set(d.userId, (dotsOf.get(d.userId) ?? 0) + d.count);
	const totalDots = dots.reduce((a, d) => a + d.count, 0);
	const totalUsed = budgets.reduce((a, b) => a + b.used, 0);
	return {
		totalDots,
		totalUsed,
		sumMatches: totalDots === totalUsed,
		budgetsWithin: budgets.every((b) => b.used <= BUDGET),
		limitsWithin: dots.every((d) => d.count <= LIMIT),
		eachVoterMatches: budgets.every((b) => (dotsOf.get(b.userId) ?? 0) === b.used),
		twoPhoneUsed: budgets.find((b) => b.userId === s.voters[0].id)?.used ?? 0,
		/** Budgets past their limit or not matching the voter's dots, and proposals past theirs. */
		overBudget:
			budgets.filter((b) => b.used > BUDGET || (dotsOf.get(b.userId) ?? 0) !== b.used).length +
			dots.filter((d) => d.count > LIMIT).length
	};
}

type Target = 'postgres' | 'pglite';

/** CPU seconds a process has used so far (Linux), to tell a slow app from a busy machine. */
function cpuSeconds(pid: number | undefined): number {
	try {
		const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
		const [utime, stime] = stat
			.slice(stat.lastIndexOf(')') + 2)
			.split(' ')
			.slice(11, 13);
		return (Number(utime) + Number(stime)) / 100;
	} catch {
		return NaN;
	}
}

/** Resident memory of a process (Linux), in KB. */
function rssKb(pid: number | undefined): number {
	try {
		return Number(/^VmRSS:\s+(\d+)/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1]);
	} catch {
		return NaN;
	}
}

/** The bare server in a process of its own, on the same footing as the app's. */
async function startBaseline(port: number, env: Record<string, string>): Promise<ChildProcess> {
	const child = fork(path.join(import.meta.dirname, 'vote-baseline.ts'), {
		env: { ...process.env, PORT: String(port), ...env },
		execArgv: process.execArgv,
		stdio: ['ignore', 'ignore', 'inherit', 'ipc']
	});
	await new Promise<void>((resolve, reject) => {
		child.once('message', () => resolve());
		child.once('exit', () => reject(new Error('the baseline did not start')));
	});
	return child;
}

type Server = 'app' | 'baseline';

async function storm(
	target: Target,
	server: Server,
	env: Record<string, string>,
	s: Seeded,
	listenUrl?: string
) {
	// On PostgreSQL our own LISTEN hears each dot at its commit, as the app's hub does.
	const commits = new Map<number, number>();
	let latest = 0;
	let late = 0;
	const listener = listenUrl ? postgres(listenUrl, { max: 1, onnotice: () => {} }) : undefined;
	await listener?.listen(LIVE_CHANNEL, (payload) => {
		const at = performance.now();
		const m = JSON.parse(payload) as { id: number; topic: string };
		if (m.topic !== 'dots') return;
		// Ids are taken when the message is written, but transactions commit in their own order.
		if (m.id < latest) late++;
		latest = Math.max(latest, m.id);
		commits.set(m.id, at);
	});

	const port = server === 'app' ? PORT : PORT + 1;
	const child = server === 'app' ? await startApp(port, env) : await startBaseline(port, env);
	const origin = `http://localhost:${port}`;
	const keys = new Map<number, string>();
	// One screen first, so what the rest cost is theirs alone.
	const first = await follow(port, s.slug, s.voters[0].token, keys);
	await new Promise((r) => setTimeout(r, 200));
	const rssBefore = rssKb(child.pid);
	const subscribers = [first];
	for (let i = 1; i < SCREENS; i += 200)
		subscribers.push(
			...(await Promise.all(
				Array.from({ length: Math.min(200, SCREENS - i) }, (_, k) =>
					follow(port, s.slug, s.voters[(i + k) % s.voters.length].token, keys)
				)
			))
		);
	await new Promise((r) => setTimeout(r, 200));
	const rssScreens = SCREENS > 1 ? (rssKb(child.pid) - rssBefore) / (SCREENS - 1) : 0;

	const plan = stormPlan(s);
	const cpuBefore = cpuSeconds(child.pid);
	const started = performance.now();
	const casts = await Promise.all(
		plan.map((p) => cast(origin, s.slug, s.voters[p.voter].token, p.proposalId))
	);
	const seconds = (performance.now() - started) / 1000;
	const placed = casts.filter((c) => c.outcome === 'placed').length;

	// The last frames may still be on their way: wait until every screen has every dot, or
	// nothing more has arrived for two seconds.
	let seen = -1;
	let quietSince = performance.now();
	while (subscribers.some((sub) => sub.received.size < placed)) {
		const frames = subscribers.reduce((a, sub) => a + sub.received.size, 0);
		if (frames !== seen) {
			seen = frames;
			quietSince = performance.now();
		} else if (performance.now() - quietSince > 2000) break;
		await new Promise((r) => setTimeout(r, 50));
	}
	const cpu = cpuSeconds(child.pid) - cpuBefore;
	for (const sub of subscribers) sub.close();
	const exited = await stopApp(child);
	await listener?.end();

	// A dot's commit is the first sign of it out here: our LISTEN on PostgreSQL; on PGlite,
	// which only the server can listen to, the voter's answer or the first phone to show it.
	// (PGlite runs one transaction at a time, so there a proposal's announced total names one dot.)
	const committed = new Map<number, number>(commits);
	for (const sub of subscribers)
		for (const [id, at] of sub.received) committed.set(id, Math.min(at, committed.get(id) ?? at));
	if (target === 'pglite') {
		const answered = new Map<string, number>();
		for (const c of casts)
			if (c.key) answered.set(c.key, Math.min(c.at, answered.get(c.key) ?? c.at));
		for (const [id, key] of keys) {
			const at = answered.get(key);
			if (at !== undefined && at < committed.get(id)!) committed.set(id, at);
		}
	}
	const delays: number[] = [];
	let frames = 0;
	for (const sub of subscribers)
		for (const [id, at] of sub.received) {
			delays.push(at - committed.get(id)!);
			if (committed.has(id)) frames++;
		}

	const outcomes: Record<string, number> = {};
	for (const c of casts) outcomes[c.outcome] = (outcomes[c.outcome] ?? 0) + 1;
	const latencies = casts.map((c) => c.ms);
	return {
		casts: casts.length,
		seconds,
		vote_rps: casts.length / seconds,
		vote_p50_ms: percentile(latencies, 50),
		vote_p95_ms: percentile(latencies, 95),
		cpu_s: cpu,
		placed,
		refused: Object.entries(outcomes)
			.filter(([k]) => k.startsWith('failure'))
			.reduce((a, [, n]) => a + n, 0),
		unanswered: outcomes.unanswered ?? 0,
		transport_errors: Object.entries(outcomes)
			.filter(([k]) => k.startsWith('transport'))
			.reduce((a, [, n]) => a + n, 0),
		outcomes,
		screens: subscribers.length,
		dot_messages: committed.size,
		// Every placed dot is one message each screen should get (PostgreSQL's LISTEN may know more).
		delivered_pct: subscribers.length
			? (100 * frames) / (subscribers.length * Math.max(1, committed.size, placed))
			: 100,
		fewest_received: Math.min(...subscribers.map((sub) => sub.received.size)),
		committed_after_later_id: listener ? late : null,
		screen_p50_ms: delays.length ? percentile(delays, 50) : 0,
		screen_p95_ms: delays.length ? percentile(delays, 95) : 0,
		screen_p99_ms: delays.length ? percentile(delays, 99) : 0,
		rss_kb_per_screen: rssScreens,
		exited
	};
}

type Figures = Awaited<ReturnType<typeof storm>>;

function describe(target: Target, server: Server, f: Figures) {
	console.log(
		`${target} ${server}: ${f.casts} casts in ${round(f.seconds, 2)} s (${round(f.vote_rps)}/s), ` +
			`answer p50 ${round(f.vote_p50_ms)} ms, p95 ${round(f.vote_p95_ms)} ms; ` +
			`${JSON.stringify(f.outcomes)}; the server process used ${round(f.cpu_s, 1)} s of CPU`
	);
	if (f.screens)
		console.log(
			`${target} ${server}: ${f.screens} HTTP SSE screens (${round(f.rss_kb_per_screen)} KB each), ` +
				`${f.dot_messages} dot messages, commit to screen p50 ${round(f.screen_p50_ms)} ms, ` +
				`p95 ${round(f.screen_p95_ms)} ms, p99 ${round(f.screen_p99_ms)} ms; ` +
				`${round(f.delivered_pct, 2)} % delivered (the emptiest screen got ${f.fewest_received})` +
				(f.committed_after_later_id === null
					? ''
					: `; dots committed after a later-numbered one: ${f.committed_after_later_id}`)
		);
	console.log(
		`${target} ${server}: ${f.exited ? 'exited' : 'did NOT exit (killed)'} within 45 s of SIGTERM`
	);
}

async function run(
	target: Target,
	prepare: () => Promise<Seeded>,
	open: () => Promise<unknown>,
	env: Record<string, string>
) {
	const t0 = performance.now();
	const seeded = await prepare();
	console.log(
		`${target}: seeded in ${round((performance.now() - t0) / 1000, 1)} s; ` +
			`load average ${loadavg()
				.map((n) => round(n, 2))
				.join(' ')} on ${cpus().length} cores`
	);
	const listenUrl = env.DATABASE_URL || undefined;
	const app = await storm(target, 'app', env, seeded, listenUrl);
	describe(target, 'app', app);
	await open();
	const checks = await invariants(seeded);
	const pass = (ok: boolean) => (ok ? 'pass' : 'FAIL');
	console.log(
		`${target} app: dots ${checks.totalDots} == budgets used ${checks.totalUsed}: ${pass(checks.sumMatches)}; ` +
			`no budget over ${BUDGET}: ${pass(checks.budgetsWithin)}; no proposal-voter over ${LIMIT}: ` +
			`${pass(checks.limitsWithin)}; each voter's dots == their budget used: ${pass(checks.eachVoterMatches)}; ` +
			`two-phone voter got exactly ${BUDGET}: ${pass(checks.twoPhoneUsed === BUDGET)} (${checks.twoPhoneUsed}); ` +
			`answers == dots: ${pass(app.placed === checks.totalDots)}`
	);
	// The same storm against the bare server, from the same empty ledger.
	await db().delete(schema.dots).where(eq(schema.dots.roundId, seeded.roundId));
	await db().delete(schema.dotBudgets).where(eq(schema.dotBudgets.roundId, seeded.roundId));
	await closeDb();
	const baseline = await storm(target, 'baseline', env, seeded, listenUrl);
	describe(target, 'baseline', baseline);
	await open();
	const baseChecks = await invariants(seeded);
	await closeDb();
	console.log(
		`${target} baseline: ledger consistent: ${pass(baseChecks.overBudget === 0 && baseChecks.sumMatches)}; ` +
			`answers == dots: ${pass(baseline.placed === baseChecks.totalDots)}`
	);
	return {
		bench: 'vote-storm',
		db: target,
		voters: VOTERS,
		dots: app.casts,
		screens: app.screens,
		placed: app.placed,
		refused: app.refused,
		// Unanswered within a minute, or answered placed without being in the ledger.
		lost: app.unanswered + Math.max(0, app.placed - checks.totalDots),
		over_budget: checks.overBudget,
		transport_errors: app.transport_errors,
		vote_rps: round(app.vote_rps),
		vote_p95_ms: round(app.vote_p95_ms),
		screen_p50_ms: round(app.screen_p50_ms),
		screen_p95_ms: round(app.screen_p95_ms),
		screen_p99_ms: round(app.screen_p99_ms),
		delivered_pct: round(app.delivered_pct, 2),
		rss_kb_per_screen: round(app.rss_kb_per_screen),
		baseline_rps: round(baseline.vote_rps),
		ratio: round(app.vote_rps / baseline.vote_rps, 3)
	};
}

buildApp();

const results: object[] = [];

// The app runs PGlite on a data directory, as it does by default; the benchmark seeds it first.
// (Seeding in memory and writing the directory in one go was slower: PGlite's start-up dominates.)
if (DATABASES.includes('pglite')) {
	const dataDir = mkdtempSync(path.join(tmpdir(), 'cs-bench-pglite-'));
	try {
		results.push(
			await run(
				'pglite',
				async () => {
					await openDb({ dataDir });
					const seeded = await seed();
					await closeDb();
					return seeded;
				},
				() => openDb({ dataDir }),
				{ DATABASE_URL: '', PGLITE_DIR: dataDir }
			)
		);
	} finally {
		rmSync(dataDir, { recursive: true, force: true });
	}
}

if (DATABASES.includes('postgres')) {
	const database = await freshDatabase('cs_bench_votes');
	try {
		results.push(
			await run(
				'postgres',
				async () => {
					// Only the seeding skips waiting for the disk on each commit; the app keeps the default.
					const fast = new URL(database.url);
					fast.searchParams.set('synchronous_commit', 'off');
					await openDb({ url: fast.toString(), poolSize: 4 });
					const seeded = await seed();
					await closeDb();
					return seeded;
				},
				() => openDb({ url: database.url, poolSize: 4 }),
				{ DATABASE_URL: database.url, DATABASE_POOL_SIZE: String(POOL) }
			)
		);
	} finally {
		await database.drop();
	}
}

// One flat line per database, PostgreSQL's last.
for (const r of results) console.log(JSON.stringify(r));
