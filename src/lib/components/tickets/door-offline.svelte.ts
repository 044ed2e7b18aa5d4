/* eslint-disable svelte/prefer-svelte-reactivity -- the maps, sets and dates below are private working state or values handed out once; no template reads them as they change. */
import { codeFrom } from '$lib/tickets/door-code';

// The door phone's side of the door offline: the event's ticket list (codes as HMACs under the
// event's door key, with the name and ticket type the door shows) and the admissions made without
// a connection, both kept in IndexedDB until the server has them. Each admission gets an id made
// here, so sending the queue again (a dropped answer, two tabs) applies it once on the server.

export interface ListTicket {
	h: string;
	name: string;
	ticketType: string;
	in: string | null;
}

interface StoredList {
	slug: string;
	keyId: number;
	key: string;
	at: string;
	tickets: ListTicket[];
}

interface QueuedScan {
	id: string;
	slug: string;
	keyId: number;
	h: string;
	door: string | null;
	device: string;
	at: string;
}

export interface SyncedScan {
	id: string;
	outcome: string;
	conflict: boolean;
}

export type OfflineResult =
	| { status: 'checked_in' | 'already'; name: string; ticketType: string; at: Date; ticketId: 0 }
	| { status: 'unknown' };

const DB_NAME = 'commonspace-door';
const DEVICE_KEY = 'commonspace-door-device';
const DOOR_KEY = 'commonspace-door-name';

function request<T>(r: IDBRequest<T>): Promise<T> {
	return new Promise((resolve, reject) => {
		r.onsuccess = () => resolve(r.result);
		r.onerror = () => reject(r.error);
	});
}

let opened: Promise<IDBDatabase> | null = null;
function database(): Promise<IDBDatabase> {
	return (opened ??= new Promise((resolve, reject) => {
		const r = indexedDB.open(DB_NAME, 1);
		r.onupgradeneeded = () => {
			r.result.createObjectStore('lists', { keyPath: 'slug' });
			r.result.createObjectStore('queue', { keyPath: 'id' }).createIndex('slug', 'slug');
		};
		r.onsuccess = () => resolve(r.result);
		r.onerror = () => reject(r.error);
	}));
}

async function inStore<T>(
	name: 'lists' | 'queue',
	mode: IDBTransactionMode,
	run: (store: IDBObjectStore) => IDBRequest<T>
): Promise<T> {
	const tx = (await database()).transaction(name, mode);
	return request(run(tx.objectStore(name)));
}

/** The same keyed hash the server lists codes by (HMAC-SHA-256, hex). */
async function codeHash(key: string, code: string): Promise<string> {
	const raw = Uint8Array.from(atob(key.replace(/-/g, '+').replace(/_/g, '/')), (c) =>
		c.charCodeAt(0)
	);
	const k = await crypto.subtle.importKey('raw', raw, { name: 'HMAC', hash: 'SHA-256' }, false, [
		'sign'
	]);
	const sig = await crypto.subtle.sign('HMAC', k, new TextEncoder().encode(codeFrom(code)));
	return Array.from(new Uint8Array(sig), (b) => b.toString(16).padStart(2, '0')).join('');
}

/** This phone's id, made once and kept, so each admission says which phone made it. */
export function deviceId(): string {
	let id = localStorage.getItem(DEVICE_KEY);
	if (!id) localStorage.setItem(DEVICE_KEY, (id = crypto.randomUUID()));
	return id;
}

export const rememberedDoor = () => localStorage.getItem(DOOR_KEY) ?? '';
export const rememberDoor = (name: string) => localStorage.setItem(DOOR_KEY, name.trim());

export class DoorOffline {
	/** The list kept on this phone: how many tickets, when it was downloaded. */
	list = $state<{ count: number; at: Date } | null>(null);
	pending = $state(0);
	failed = $state<'download' | 'key' | null>(null);
	#stored: StoredList | null = null;
	#byHash = new Map<string, ListTicket>();
	#syncing: Promise<SyncedScan[]> | null = null;

	constructor(private slug: string) {}

	#keep(list: StoredList) {
		this.#stored = list;
		this.#byHash = new Map(list.tickets.map((t) => [t.h, t]));
		this.list = { count: list.tickets.length, at: new Date(list.at) };
	}

	async #countPending() {
		this.pending = await inStore('queue', 'readonly', (s) =>
			s.index('slug').count(IDBKeyRange.only(this.slug))
		);
	}

	async load() {
		const list = await inStore<StoredList | undefined>('lists', 'readonly', (s) =>
			s.get(this.slug)
		);
		if (list) this.#keep(list);
		await this.#countPending();
	}

	async download() {
		this.failed = null;
		try {
			const res = await fetch(`/manage/${this.slug}/checkin/list.json`);
			if (!res.ok) throw new Error(String(res.status));
			const list: StoredList = { slug: this.slug, ...(await res.json()) };
			await inStore('lists', 'readwrite', (s) => s.put(list));
			this.#keep(list);
		} catch {
			this.failed = 'download';
		}
	}

	/** Admit from the list on this phone and queue the admission for the server. */
	async admit(input: string, door: string): Promise<OfflineResult> {
		const list = this.#stored;
		if (!list) return { status: 'unknown' };
		const h = await codeHash(list.key, input);
		const ticket = this.#byHash.get(h);
		if (!ticket) return { status: 'unknown' };
		const shown = { name: ticket.name, ticketType: ticket.ticketType, ticketId: 0 as const };
		if (ticket.in) return { status: 'already', ...shown, at: new Date(ticket.in) };
		const at = new Date();
		ticket.in = at.toISOString();
		const scan: QueuedScan = {
			id: crypto.randomUUID(),
			slug: this.slug,
			keyId: list.keyId,
			h,
			door: door.trim() || null,
			device: deviceId(),
			at: ticket.in
		};
		const tx = (await database()).transaction(['lists', 'queue'], 'readwrite');
		tx.objectStore('queue').put(scan);
		tx.objectStore('lists').put(list);
		await new Promise((resolve, reject) => {
			tx.oncomplete = resolve;
			tx.onerror = () => reject(tx.error);
		});
		this.pending += 1;
		return { status: 'checked_in', ...shown, at };
	}

	/** Send the queued admissions; only those the server answered leave the queue. */
	sync(): Promise<SyncedScan[]> {
		return (this.#syncing ??= this.#send().finally(() => (this.#syncing = null)));
	}

	async #send(): Promise<SyncedScan[]> {
		const queued = await inStore<QueuedScan[]>('queue', 'readonly', (s) =>
			s.index('slug').getAll(IDBKeyRange.only(this.slug))
		);
		queued.sort((a, b) => a.at.localeCompare(b.at));
		const answered: SyncedScan[] = [];
		for (const keyId of new Set(queued.map((q) => q.keyId))) {
			const scans = queued
				.filter((q) => q.keyId === keyId)
				.map(({ id, h, door, device, at }) => ({ id, h, door, device, at }));
			const res = await fetch(`/manage/${this.slug}/checkin/sync`, {
				method: 'POST',
				headers: { 'Content-Type': 'application/json' },
				body: JSON.stringify({ keyId, scans })
			});
			if (res.status === 403) {
				this.failed = 'key';
				continue;
			}
			if (!res.ok) throw new Error(String(res.status));
			const { results } = (await res.json()) as { results: SyncedScan[] };
			const tx = (await database()).transaction('queue', 'readwrite');
			for (const r of results) tx.objectStore('queue').delete(r.id);
			await new Promise((resolve) => (tx.oncomplete = resolve));
			answered.push(...results);
		}
		await this.#countPending();
		return answered;
	}
}
