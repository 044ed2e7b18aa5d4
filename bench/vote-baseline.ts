import { createHash, timingSafeEqual } from 'node:crypto';
import { createServer, type ServerResponse } from 'node:http';
import { PGlite } from '@electric-sql/pglite';
import { stringify } from 'devalue';
import postgres from 'postgres';

// The vote storm's baseline: a bare node:http server doing what a dot must do, and nothing else,
// on the same database as the app: the session, the event by slug, then one transaction that
// locks the proposal, checks it is open in a round in its voting phase and that the voter holds
// a valid ticket, takes one dot of the budget and one of the per-proposal limit (both guarded),
// records the live message and notifies. Screens follow `/live`: each notification is framed once
// and the same bytes are written to every open stream. DATABASE_URL selects PostgreSQL
// (postgres.js, prepared statements), PGLITE_DIR PGlite on that data directory.

type Row = Record<string, unknown>;
interface Client {
	one(text: string, params: unknown[]): Promise<Row | undefined>;
	transaction<T>(
		fn: (q: (text: string, params: unknown[]) => Promise<Row[]>) => Promise<T>
	): Promise<T>;
	listen(channel: string, fn: (payload: string) => void): Promise<void>;
	close(): Promise<void>;
}

class Refused extends Error {}

function pgClient(url: string): Client {
	const sql = postgres(url, {
		max: Number(process.env.DATABASE_POOL_SIZE || 20),
		onnotice: () => {}
	});
	return {
		one: async (text, params) => (await sql.unsafe(text, params as never[], { prepare: true }))[0],
		transaction: (fn) =>
			sql.begin((tx) =>
				fn(async (text, params) => [
					...(await tx.unsafe(text, params as never[], { prepare: true }))
				])
			) as never,
		listen: async (channel, fn) => {
			await sql.listen(channel, fn);
		},
		close: () => sql.end({ timeout: 5 })
	};
}

async function pgliteClient(dir: string): Promise<Client> {
	const db = await PGlite.create(dir);
	return {
		one: async (text, params) => (await db.query<Row>(text, params)).rows[0],
		transaction: (fn) =>
			db.transaction((tx) => fn(async (t, p) => (await tx.query<Row>(t, p)).rows)),
		listen: async (channel, fn) => {
			await db.listen(channel, fn);
		},
		close: () => db.close()
	};
}

const client = process.env.DATABASE_URL
	? pgClient(process.env.DATABASE_URL)
	: await pgliteClient(process.env.PGLITE_DIR!);

const sha256 = (v: string) => createHash('sha256').update(v).digest('hex');
const same = (a: string, b: string) =>
	a.length === b.length && timingSafeEqual(Buffer.from(a), Buffer.from(b));

async function voter(cookie: string | undefined): Promise<number | null> {
	const token = /(?:^|;\s*)session=([^;]+)/.exec(cookie ?? '')?.[1];
	const [id, secret] = token?.split('.') ?? [];
	if (!id || !secret) return null;
	const row = await client.one(
		'select user_id, secret_hash from sessions where id = $1 and expires_at > now()',
		[id]
	);
	return row && same(sha256(secret), row.secret_hash as string) ? (row.user_id as number) : null;
}

async function dot(slug: string, userId: number, proposalId: number) {
	const event = await client.one("select id from events where slug = $1 and status = 'published'", [
		slug
	]);
	if (!event) throw new Refused('no event');
	const eventId = event.id as number;
	return client.transaction(async (q) => {
		const [p] = await q(
			`select r.id as round_id, r.dot_budget, r.per_proposal_limit,
			        exists (select 1 from tickets t where t.event_id = $2 and t.holder_id = $3
			                and t.status = 'valid') as ticket
			 from proposals p join rounds r on r.id = p.round_id and r.event_id = p.event_id
			 where p.id = $1 and p.event_id = $2 and p.status = 'open' and r.phase = 'voting'
			 for no key update of p`,
			[proposalId, eventId, userId]
		);
		if (!p || !p.ticket) throw new Refused('closed');
		const [budget] = await q(
			`insert into dot_budgets (round_id, user_id, used) values ($1, $2, 1)
			 on conflict (round_id, user_id) do update set used = dot_budgets.used + 1
			 where dot_budgets.used < $3 returning used`,
			[p.round_id, userId, p.dot_budget]
		);
		if (!budget) throw new Refused('budget');
		const [mine] = await q(
			`insert into dots (proposal_id, user_id, round_id, count) values ($1, $2, $3, 1)
			 on conflict (proposal_id, user_id) do update set count = dots.count + 1
			 where dots.count < $4 returning count`,
			[proposalId, userId, p.round_id, p.per_proposal_limit]
		);
		if (!mine) throw new Refused('limit');
		const [live] = await q(
			`with t as (select coalesce(sum(count), 0)::int as total from dots where proposal_id = $1),
			 l as (insert into live_events (event_id, topic, data)
			       select $2, 'dots', jsonb_build_object('roundId', $3::int, 'proposalId', $1::int, 'total', t.total)
			       from t returning id, data)
			 select l.id, (l.data->>'total')::int as total,
			        pg_notify('commonspace_live', json_build_object('id', l.id, 'eventId', $2::int,
			          'topic', 'dots', 'data', l.data)::text)
			 from l`,
			[proposalId, eventId, p.round_id]
		);
		return {
			proposalId,
			total: live.total as number,
			mine: mine.count as number,
			left: (p.dot_budget as number) - (budget.used as number)
		};
	});
}

const screens = new Set<ServerResponse>();
await client.listen('commonspace_live', (payload) => {
	const m = JSON.parse(payload) as { id: number; topic: string; data: unknown };
	const bytes = Buffer.from(`id: ${m.id}\nevent: ${m.topic}\ndata: ${JSON.stringify(m.data)}\n\n`);
	for (const res of screens) res.write(bytes);
});

const server = createServer(async (req, res) => {
	const url = new URL(req.url ?? '/', 'http://localhost');
	const live = /^\/e\/([^/]+)\/live$/.exec(url.pathname);
	if (live) {
		res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
		res.write('retry: 2000\n\n');
		screens.add(res);
		res.on('close', () => screens.delete(res));
		return;
	}
	const vote = /^\/e\/([^/]+)\/marketplace$/.exec(url.pathname);
	if (!vote || req.method !== 'POST') return void res.writeHead(404).end();
	let body = '';
	for await (const chunk of req) body += chunk;
	try {
		const userId = await voter(req.headers.cookie);
		if (!userId) return void res.writeHead(401).end();
		const proposalId = Number(new URLSearchParams(body).get('proposalId'));
		const state = await dot(vote[1], userId, proposalId);
		res.writeHead(200, { 'content-type': 'application/json' });
		res.end(JSON.stringify({ type: 'success', status: 200, data: stringify({ dot: state }) }));
	} catch (e) {
		if (!(e instanceof Refused)) console.error(e);
		res.writeHead(200, { 'content-type': 'application/json' });
		res.end(JSON.stringify({ type: 'failure', status: e instanceof Refused ? 400 : 500 }));
	}
});
server.listen(Number(process.env.PORT), () => process.send?.('ready'));
process.once('SIGTERM', () => {
	for (const res of screens) res.end();
	server.close(() => void client.close().then(() => process.exit(0)));
});
