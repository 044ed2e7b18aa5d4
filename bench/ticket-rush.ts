import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { eq, sql } from 'drizzle-orm';
import postgres from 'postgres';
import { FakeStripe } from '../tests/fixtures/fake-stripe';
import { closeDb, db, openDb, schema } from '../src/lib/server/db';
import { createSession } from '../src/lib/server/auth/session';
import { createEvent, setEventStatus } from '../src/lib/server/events/events';
import { addTicketType } from '../src/lib/server/tickets/ticketing';
import {
	buildApp,
	burst,
	freshDatabase,
	percentile,
	round,
	startApp,
	stopApp,
	type Burst
} from './harness';

// 2,000 buyers start checkout at the same moment against a cap of 150, through the built app on
// PostgreSQL: once for a free ticket type, once for a paid one (against the fake Stripe). The
// baseline is a bare node:http server doing only the guarded seat UPDATE on the same database.
// Buyers are 2,000 different people, signed in, each from an address of their own (as behind a
// proxy that sets X-Forwarded-For): someone not signed in would only be sent a link to confirm
// first, and one client address may place 200 orders in ten minutes.

const BUYERS = Number(process.env.BENCH_BUYERS ?? 2000);
const CAP = 150;
const POOL = 20;
const PORT = Number(process.env.BENCH_PORT) || 4391;

const ticketType = (name: string, pricing: 'free' | 'fixed', price = 0) => ({
	name,
	description: '',
	pricing,
	price,
	minPrice: 0,
	suggestedPrice: 0,
	maxPrice: 0,
	quota: null,
	salesStart: '',
	salesEnd: '',
	accessCode: '',
	perPerson: 1
});

buildApp();
const database = await freshDatabase('cs_bench');
const fake = new FakeStripe();
await fake.start();
Object.assign(process.env, fake.env());
await openDb({ url: database.url, poolSize: 4 });

const [organiser] = await db()
	.insert(schema.users)
	.values({ email: 'bench@example.org', name: 'Bench' })
	.returning();
const actor = { id: organiser.id, isAdmin: false };
async function eventWith(slug: string, pricing: 'free' | 'fixed') {
	const event = await createEvent(actor, {
		name: `Rush ${slug}`,
		slug,
		description: '',
		venue: '',
		address: '',
		timeZone: 'UTC',
		startDate: '2099-06-24',
		endDate: '2099-06-25',
		capacity: CAP
	});
	await setEventStatus(actor, event.id, 'published');
	const type = await addTicketType(
		actor,
		event.id,
		ticketType('Standard', pricing, pricing === 'fixed' ? 2500 : 0)
	);
	return { event, type };
}
const free = await eventWith('rush-free', 'free');
const paid = await eventWith('rush-paid', 'fixed');
const baselineEvent = await eventWith('rush-baseline', 'free');

const people = await db()
	.insert(schema.users)
	.values(
		Array.from({ length: BUYERS }, (_, i) => ({
			email: `buyer-${i}@example.org`,
			name: `Buyer ${i}`
		}))
	)
	.returning();
const buyers: { email: string; name: string; cookie: string; address: string }[] = [];
for (const [i, person] of people.entries()) {
	const { token } = await createSession(person.id);
	buyers.push({
		email: person.email,
		name: person.name,
		cookie: `session=${token}`,
		address: `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`
	});
}

const app = await startApp(PORT, {
	DATABASE_URL: database.url,
	DATABASE_POOL_SIZE: String(POOL),
	ADDRESS_HEADER: 'x-forwarded-for'
});
const origin = `http://localhost:${PORT}`;

function buy(slug: string, typeId: number) {
	return (i: number) =>
		fetch(`${origin}/e/${slug}/tickets?/order`, {
			method: 'POST',
			redirect: 'manual',
			// As the enhanced form sends it from a browser with JavaScript: the answer is JSON.
			headers: {
				origin,
				'content-type': 'application/x-www-form-urlencoded',
				'x-sveltekit-action': 'true',
				accept: 'application/json',
				cookie: buyers[i].cookie,
				'x-forwarded-for': buyers[i].address
			},
			body: new URLSearchParams({
				ticketTypeId: String(typeId),
				attendeeName: buyers[i].name,
				attendeeEmail: buyers[i].email,
				publicName: '',
				dietary: '',
				access: '',
				amount: '',
				accessCode: ''
			})
		});
}

const freeRun = await burst(BUYERS, buy('rush-free', free.type.id));
const paidRun = await burst(BUYERS, buy('rush-paid', paid.type.id));
await stopApp(app);

// The baseline: the same guarded UPDATE, nothing else, behind a bare HTTP server.
const pool = postgres(database.url, { max: POOL, onnotice: () => {} });
const bare = createServer(async (_req, res) => {
	const rows = await pool`
		update ticketing set seats_taken = seats_taken + 1
		where event_id = ${baselineEvent.event.id}
		  and seats_taken < (select capacity from events where id = ${baselineEvent.event.id})
		returning seats_taken`;
	res.writeHead(rows.length ? 200 : 409).end();
});
await new Promise<void>((r) => bare.listen(0, '127.0.0.1', r));
const barePort = (bare.address() as AddressInfo).port;
const baseRun = await burst(BUYERS, () =>
	fetch(`http://127.0.0.1:${barePort}/`, { method: 'POST' })
);
bare.close();
await pool.end();

async function seats(eventId: number) {
	const o = schema.orders;
	const [row] = await db()
		.select({
			sold: sql<number>`count(*) filter (where ${o.status} = 'paid')::int`,
			held: sql<number>`count(*) filter (where ${o.status} = 'held' and ${o.holdsSeat})::int`,
			tickets: sql<number>`(select count(*)::int from ${schema.tickets} t where t.event_id = ${eventId})`
		})
		.from(o)
		.where(eq(o.eventId, eventId));
	return row;
}
const freeSeats = await seats(free.event.id);
const paidSeats = await seats(paid.event.id);
const oversold =
	Math.max(0, freeSeats.sold + freeSeats.held - CAP) +
	Math.max(0, paidSeats.sold + paidSeats.held - CAP) +
	Math.max(0, freeSeats.tickets - CAP);

const rate = (b: Burst) => b.count / b.seconds;
for (const [label, run] of [
	['free', freeRun],
	['paid', paidRun],
	['baseline', baseRun]
] as const) {
	console.log(
		`${label}: ${run.count} requests in ${round(run.seconds, 2)} s, ${round(rate(run))} req/s, p95 ${round(percentile(run.latencies, 95))} ms, statuses ${JSON.stringify(run.statuses)}`
	);
}
console.log(
	`free event: ${freeSeats.sold} sold, ${freeSeats.tickets} tickets; paid event: ${paidSeats.held} held, ${fake.sessions.size} checkout sessions`
);

const appRps = (freeRun.count + paidRun.count) / (freeRun.seconds + paidRun.seconds);
const result = {
	bench: 'ticket-rush',
	buyers: BUYERS,
	cap: CAP,
	sold: freeSeats.sold,
	held: paidSeats.held,
	oversold,
	rps: round(appRps),
	p95_ms: round(percentile([...freeRun.latencies, ...paidRun.latencies], 95)),
	baseline_rps: round(rate(baseRun)),
	ratio: round(appRps / rate(baseRun), 3)
};

await closeDb();
await fake.stop();
await database.drop();
console.log(JSON.stringify(result));
