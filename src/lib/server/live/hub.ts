import { EventEmitter } from 'node:events';
import type { PGlite } from '@electric-sql/pglite';
import { and, asc, eq, gt, lt } from 'drizzle-orm';
import { sql } from 'drizzle-orm';
import type postgres from 'postgres';
import type { LiveMessage, LiveTopic, LiveTopics } from '$lib/live/topics';
import { dbHandle, schema, type Db, type Tx } from '../db';
import { log } from '../core/log';

// Live updates for every open screen of an event. A change is written to `live_events` and
// announced with NOTIFY on one channel; each app instance LISTENs once and fans the message
// out to its subscribers (its Server-Sent Event streams, see stream.ts). On PostgreSQL that
// reaches every instance sharing the database; PGlite runs in this process, and its LISTEN is
// the in-process channel. What each topic carries is declared in $lib/live/topics.ts.

type Listener = (message: LiveMessage) => void;

const CHANNEL = 'commonspace_live';

/** The tables whose changes the database announces to the caches (migrations 0013 and 0018). */
export type CachedTable = 'events' | 'users' | 'sessions' | 'event_roles' | 'instance_settings';

/**
 * What this instance keeps for a few seconds, forgotten when the database announces a change to
 * a row it was read from (the triggers announce each change on commit, to every instance) or
 * when this instance changes the row itself. `matches` says which entries a changed row's key
 * touches, table by table.
 */
export class InvalidatedCache<V> {
	private readonly entries = new Map<string, { value: V; until: number }>();
	// Bumped by every change: a read that started before one is not kept.
	private generation = 0;

	constructor(
		private readonly hub: LiveHub,
		private readonly ttlMs: number,
		private readonly matches: Partial<Record<CachedTable, (key: string, value: V) => boolean>>,
		private readonly maxEntries = 20_000
	) {}

	async get(key: string, load: () => Promise<V | undefined>): Promise<V | undefined> {
		const hit = this.entries.get(key);
		if (hit && hit.until > Date.now()) return hit.value;
		// Until this instance hears the database's changes, nothing is kept.
		const listening = this.hub.listeningNow();
		const generation = this.generation;
		const value = await load();
		if (value !== undefined && listening && generation === this.generation) {
			if (this.entries.size >= this.maxEntries) this.entries.clear();
			this.entries.set(key, { value, until: Date.now() + this.ttlMs });
		}
		return value;
	}

	/** Replace a kept value this instance has just written (its expiry, say). */
	update(key: string, value: V) {
		const hit = this.entries.get(key);
		if (hit) hit.value = value;
	}

	/** A row of `table` with this key changed. */
	forget(table: CachedTable, key: string) {
		const match = this.matches[table];
		if (!match) return;
		this.generation++;
		for (const [k, { value }] of this.entries) if (match(key, value)) this.entries.delete(k);
	}
}

interface HubHandle {
	db: Db;
	kind: 'pglite' | 'postgres';
	client: PGlite | postgres.Sql;
}

export class LiveHub {
	private readonly emitter = new EventEmitter();
	private listening: Promise<() => Promise<void>> | undefined;
	private heard = false;
	private readonly caches: InvalidatedCache<never>[] = [];

	constructor(private readonly handle: HubHandle) {
		this.emitter.setMaxListeners(0);
	}

	/**
	 * Record a change and announce it when `tx` commits, so screens hear of it only if it happened
	 * and in the order the changes committed. The payload is checked against the topic's type.
	 */
	async publish<T extends LiveTopic>(
		eventId: number,
		topic: T,
		data: NoInfer<LiveTopics[T]>,
		tx: Tx
	): Promise<LiveMessage<T>> {
		// `live_publish` (migration 0013) records the message and announces it in one statement;
		// a payload too big for NOTIFY goes without its data, and `receive` reads it back by id.
		const result: unknown = await tx.execute(
			sql`select live_publish(${eventId}::int, ${topic}::text, ${JSON.stringify(data)}::jsonb) as id`
		);
		const rows = (Array.isArray(result) ? result : (result as { rows: unknown[] }).rows) as {
			id: string | number;
		}[];
		// A generic topic does not narrow the union by itself; the fields are exactly its parts.
		const message = { id: Number(rows[0].id), eventId, topic, data } as LiveMessage<T>;
		return message;
	}

	/** A cache of this database, emptied as its rows change; see InvalidatedCache. */
	cache<V>(
		ttlMs: number,
		matches: Partial<Record<CachedTable, (key: string, value: V) => boolean>>
	): InvalidatedCache<V> {
		const cache = new InvalidatedCache<V>(this, ttlMs, matches);
		this.caches.push(cache as InvalidatedCache<never>);
		return cache;
	}

	/** A row changed (here, or announced by the database): every cache forgets what it touches. */
	forget(table: CachedTable, key: string | number) {
		for (const cache of this.caches) cache.forget(table, String(key));
	}

	/** Whether changes are heard already; the first call starts listening. */
	listeningNow(): boolean {
		void this.listen();
		return this.heard;
	}

	/** Call `listener` with every message for this event from now on; returns the unsubscribe. */
	async subscribe(eventId: number, listener: Listener): Promise<() => void> {
		await this.listen();
		const name = `event:${eventId}`;
		this.emitter.on(name, listener);
		return () => this.emitter.off(name, listener);
	}

	/** What a screen missed: messages after `lastId`, oldest first. */
	async since(eventId: number, lastId: number, limit = 1000): Promise<LiveMessage[]> {
		const l = schema.liveEvents;
		// Rows are written only by `publish`, which checked each payload against its topic.
		const rows = await this.handle.db
			.select({ id: l.id, eventId: l.eventId, topic: l.topic, data: l.data })
			.from(l)
			.where(and(eq(l.eventId, eventId), gt(l.id, lastId)))
			.orderBy(asc(l.id))
			.limit(limit);
		return rows as LiveMessage[];
	}

	/** Forget messages older than `before`; screens that far behind reload instead. */
	async prune(before: Date): Promise<void> {
		await this.handle.db.delete(schema.liveEvents).where(lt(schema.liveEvents.createdAt, before));
	}

	async stop(): Promise<void> {
		const listening = this.listening;
		this.listening = undefined;
		this.heard = false;
		this.emitter.removeAllListeners();
		if (listening) await (await listening)().catch(() => {});
	}

	private listen() {
		this.listening ??= this.startListening().then((unlisten) => {
			this.heard = true;
			return unlisten;
		});
		return this.listening.then(() => undefined);
	}

	private async startListening(): Promise<() => Promise<void>> {
		const receive = (payload: string) => void this.receive(payload);
		if (this.handle.kind === 'pglite') {
			return (this.handle.client as PGlite).listen(CHANNEL, receive);
		}
		const { unlisten } = await (this.handle.client as postgres.Sql).listen(CHANNEL, receive);
		return unlisten;
	}

	private async receive(payload: string) {
		try {
			const parsed = JSON.parse(payload) as
				| (Omit<LiveMessage, 'data'> & { data?: unknown; invalidate?: undefined })
				| { invalidate: CachedTable; key: string | null };
			if (parsed.invalidate) {
				if (parsed.key != null) this.forget(parsed.invalidate, parsed.key);
				return;
			}
			const message =
				'data' in parsed
					? (parsed as LiveMessage)
					: (await this.since(parsed.eventId, parsed.id - 1, 1)).find((m) => m.id === parsed.id);
			if (message) this.emitter.emit(`event:${message.eventId}`, message);
		} catch (e) {
			log.error({ err: e }, 'could not read a live notification');
		}
	}
}

const hubs = new WeakMap<object, LiveHub>();

/** The hub of the open database. */
export function live(): LiveHub {
	const handle = dbHandle();
	let hub = hubs.get(handle.client);
	if (!hub) {
		hub = new LiveHub(handle);
		hubs.set(handle.client, hub);
	}
	return hub;
}
