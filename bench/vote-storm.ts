import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
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
// of them fires 50 more from two phones, all through the built app. 150 phones follow the
// event's live stream over HTTP and we time how long each dot takes to reach every one of them.
// The same storm runs on PostgreSQL and on PGlite, the default database.

const VOTERS = 150;
const PROPOSALS = 40;
const BUDGET = 5;
const LIMIT = 2;
const PHONE_CASTS = 50;
const POOL = 20;
const PORT = 5299;
/** Phones following the live stream; `BENCH_SCREENS=0` shows what the fan-out costs. */
const SCREENS = Number(process.env.BENCH_SCREENS ?? VOTERS);
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

/** Follow the event's live stream as a phone does; `keys` learns each dot message's totals. */
async function follow(
	origin: string,
	slug: string,
	token: string,
	keys: Map<number, string>
): Promise<Subscriber> {
	const abort = new AbortController();
	const received = new Map<number, number>();
	const res = await fetch(`${origin}/e/${slug}/live`, {
		headers: { accept: 'text/event-stream', cookie: `session=${token}` },
		signal: abort.signal
	});
	if (!res.ok || !res.body) throw new Error(`live stream answered ${res.status}`);
	const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
	let ready: () => void = () => {};
	const subscribed = new Promise<void>((r) => (ready = r));
	void (async () => {
		let buffer = '';
		for (;;) {
			const { value, done } = await reader.read();
			if (done) return;
			const now = performance.now();
			buffer += value;
			let end;
			while ((end = buffer.indexOf('\n\n')) >= 0) {
				const frame = buffer.slice(0, end);
				buffer = buffer.slice(end + 2);
				// The stream says `retry:` once the hub has this screen on its list.
				if (frame.startsWith('retry:')) ready();
				const id = /^id: (\d+)$/m.exec(frame);
				if (!id || !/^event: dots$/m.test(frame)) continue;
				received.set(Number(id[1]), now);
				const data = /^data: (.*)$/m.exec(frame);
				if (data && !keys.has(Number(id[1]))) {
					const dot = JSON.parse(data[1]) as { proposalId: number; total: number };
					keys.set(Number(id[1]), `${dot.proposalId}:${dot.total}`);
				}
			}
		}
	})().catch(() => {});
	await subscribed;
	return { received, close: () => abort.abort() };
}

interface Cast {
	ms: number;
	outcome: string;
	/** `proposalId:total` the answer reported, to pair it with its live message. */
	key?: string;
	at: number;
}

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
			body: new URLSearchParams({ proposalId: String(proposalId) })
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
		outcome = e instanceof Error ? e.name : 'error';
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
		twoPhoneUsed: budgets.find((b) => b.userId === s.voters[0].id)?.used ?? 0
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

async function storm(target: Target, env: Record<string, string>, s: Seeded, listenUrl?: string) {
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

	const app = await startApp(PORT, env);
	const origin = `http://localhost:${PORT}`;
	const keys = new Map<number, string>();
	const subscribers = await Promise.all(
		s.voters.slice(0, SCREENS).map((v) => follow(origin, s.slug, v.token, keys))
	);

	const plan = stormPlan(s);
	const cpuBefore = cpuSeconds(app.pid);
	const started = performance.now();
	const casts = await Promise.all(
		plan.map((p) => cast(origin, s.slug, s.voters[p.voter].token, p.proposalId))
	);
	const seconds = (performance.now() - started) / 1000;
	const placed = casts.filter((c) => c.outcome === 'placed').length;

	// The last frames may still be on their way: wait until every screen has every dot, or
	// nothing more has arrived for a second.
	let seen = -1;
	let quietSince = performance.now();
	while (subscribers.some((sub) => sub.received.size < placed)) {
		const frames = subscribers.reduce((a, sub) => a + sub.received.size, 0);
		if (frames !== seen) {
			seen = frames;
			quietSince = performance.now();
		} else if (performance.now() - quietSince > 1000) break;
		await new Promise((r) => setTimeout(r, 50));
	}
	const appCpu = cpuSeconds(app.pid) - cpuBefore;
	for (const sub of subscribers) sub.close();
	await stopApp(app);
	await listener?.end();

	// A dot's commit is the first sign of it out here: our LISTEN on PostgreSQL; on PGlite,
	// which only the app can listen to, the voter's answer or the first phone to show it. (PGlite
	// runs one transaction at a time, so there a proposal's announced total names one dot.)
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
	const firstScreen = new Map<number, number>();
	for (const sub of subscribers)
		for (const [id, at] of sub.received) {
			delays.push(at - committed.get(id)!);
			firstScreen.set(id, Math.min(at - committed.get(id)!, firstScreen.get(id) ?? Infinity));
		}

	const outcomes: Record<string, number> = {};
	for (const c of casts) outcomes[c.outcome] = (outcomes[c.outcome] ?? 0) + 1;
	const latencies = casts.map((c) => c.ms);
	return {
		casts: casts.length,
		seconds: round(seconds, 2),
		dots_per_s: round(placed / seconds),
		casts_per_s: round(casts.length / seconds),
		p50_ms: round(percentile(latencies, 50)),
		p95_ms: round(percentile(latencies, 95)),
		p99_ms: round(percentile(latencies, 99)),
		app_cpu_s: round(appCpu, 1),
		placed,
		refused: Object.entries(outcomes)
			.filter(([k]) => k.startsWith('failure'))
			.reduce((a, [, n]) => a + n, 0),
		outcomes,
		subscribers: subscribers.length,
		dot_messages: committed.size,
		fewest_received: Math.min(...subscribers.map((sub) => sub.received.size)),
		most_received: Math.max(...subscribers.map((sub) => sub.received.size)),
		committed_after_later_id: listener ? late : null,
		fanout_p50_ms: round(percentile(delays, 50)),
		fanout_p95_ms: round(percentile(delays, 95)),
		fanout_max_ms: round(Math.max(...delays)),
		first_screen_p50_ms: round(percentile([...firstScreen.values()], 50)),
		first_screen_p95_ms: round(percentile([...firstScreen.values()], 95))
	};
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
				.join(' ')}`
	);
	const figures = await storm(target, env, seeded, env.DATABASE_URL || undefined);
	await open();
	const checks = await invariants(seeded);
	await closeDb();
	const pass = (ok: boolean) => (ok ? 'pass' : 'FAIL');
	console.log(
		`${target}: ${figures.casts} casts in ${figures.seconds} s, ${figures.dots_per_s} dots/s placed ` +
			`(${figures.casts_per_s} casts/s), latency p50 ${figures.p50_ms} ms, p95 ${figures.p95_ms} ms, ` +
			`p99 ${figures.p99_ms} ms; ${figures.placed} placed, ${figures.refused} refused ` +
			`${JSON.stringify(figures.outcomes)}; the app process used ${figures.app_cpu_s} s of CPU`
	);
	console.log(
		`${target}: dots ${checks.totalDots} == budgets used ${checks.totalUsed}: ${pass(checks.sumMatches)}; ` +
			`no budget over ${BUDGET}: ${pass(checks.budgetsWithin)}; no proposal-voter over ${LIMIT}: ` +
			`${pass(checks.limitsWithin)}; each voter's dots == their budget used: ${pass(checks.eachVoterMatches)}; ` +
			`two-phone voter got exactly ${BUDGET}: ${pass(checks.twoPhoneUsed === BUDGET)} (${checks.twoPhoneUsed}); ` +
			`answers == dots: ${pass(figures.placed === checks.totalDots)}`
	);
	if (figures.subscribers)
		console.log(
			`${target}: live fan-out to ${figures.subscribers} HTTP SSE subscribers, ${figures.dot_messages} dot messages, ` +
				`commit to screen p50 ${figures.fanout_p50_ms} ms, p95 ${figures.fanout_p95_ms} ms, ` +
				`max ${figures.fanout_max_ms} ms (to the first screen p50 ${figures.first_screen_p50_ms} ms, ` +
				`p95 ${figures.first_screen_p95_ms} ms); every subscriber got every dot: ` +
				`${pass(figures.fewest_received === checks.totalDots)} (each got ${figures.fewest_received}` +
				`–${figures.most_received} of ${checks.totalDots})` +
				(figures.committed_after_later_id === null
					? ''
					: `; dots committed after a later-numbered one: ${figures.committed_after_later_id}`)
		);
	return {
		...figures,
		invariants: checks.sumMatches && checks.budgetsWithin && checks.limitsWithin,
		voters_consistent: checks.eachVoterMatches,
		two_phone_used: checks.twoPhoneUsed
	};
}

buildApp();

const database = await freshDatabase('cs_bench_votes');
const onPostgres =
	DATABASES.includes('postgres') &&
	(await run(
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
	));
await database.drop();

// The app runs PGlite on a data directory, as it does by default; the benchmark seeds it first.
// (Seeding in memory and writing the directory in one go was slower: PGlite's start-up dominates.)
const dataDir = mkdtempSync(path.join(tmpdir(), 'cs-bench-pglite-'));
const onPglite =
	DATABASES.includes('pglite') &&
	(await run(
		'pglite',
		async () => {
			await openDb({ dataDir });
			const seeded = await seed();
			await closeDb();
			return seeded;
		},
		() => openDb({ dataDir }),
		{ DATABASE_URL: '', PGLITE_DIR: dataDir }
	));
rmSync(dataDir, { recursive: true, force: true });

console.log(
	JSON.stringify({
		bench: 'vote-storm',
		voters: VOTERS,
		proposals: PROPOSALS,
		budget: BUDGET,
		limit: LIMIT,
		postgres: onPostgres,
		pglite: onPglite
	})
);
