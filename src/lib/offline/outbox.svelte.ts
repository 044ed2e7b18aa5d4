import { deserialize } from '$app/forms';
import type { ActionResult, SubmitFunction } from '@sveltejs/kit';
import { openDB, type DBSchema, type IDBPDatabase } from 'idb';

// The phone's outbox: an action made without a connection (or whose post never got an answer)
// is kept in IndexedDB with the id made for it here, and sent again, in the order it was made,
// until the server answers. The server applies each id once (`server/core/once.ts`), so sending
// twice is safe. Forms still post as before; this only steps in when the network does not.

export type OutboxStatus = 'pending' | 'done' | 'refused';

export interface QueuedAction {
	/** The action id, sent with the form. */
	id: string;
	/** Order of making. */
	seq?: number;
	/** Whose action it is (their e-mail): nobody else's session sends it. */
	owner: string;
	/** Where it posts, e.g. `/e/x/marketplace?/dot`. */
	action: string;
	fields: [string, string][];
	/** What the person did, as the screen names it. */
	label: string;
	status: OutboxStatus;
	/** Why it was refused. */
	reason?: string;
	/** A text refused because someone changed it meanwhile: theirs now, and what was typed. */
	theirs?: string;
	typed?: string;
	at: number;
}

interface OutboxDb extends DBSchema {
	actions: { key: number; value: QueuedAction; indexes: { id: string } };
}

const DB_NAME = 'commonspace-outbox';

let opened: Promise<IDBPDatabase<OutboxDb>> | undefined;
const database = () =>
	(opened ??= openDB<OutboxDb>(DB_NAME, 1, {
		upgrade(db) {
			const store = db.createObjectStore('actions', { keyPath: 'seq', autoIncrement: true });
			store.createIndex('id', 'id', { unique: true });
		}
	}));

/** The answer's text fields (what the refusal says, and the current text of a stale field). */
type FailureData = {
	errors?: Record<string, string>;
	current?: Record<string, unknown>;
	values?: Record<string, string>;
};

const isNetworkError = (e: unknown) => e instanceof TypeError;

class Outbox {
	/** This person's actions, in order: pending, then what happened to them. */
	items = $state<QueuedAction[]>([]);
	online = $state(true);
	#owner: string | null = null;
	#flushing = false;
	/** Called after actions went out, so the screen reloads what it shows. */
	onsent: () => void = () => {};

	/** Start for the signed-in person (or nobody): show their queue and send what waits. */
	async start(owner: string | null): Promise<void> {
		this.online = navigator.onLine;
		if (this.#owner === owner && this.items.length) return;
		this.#owner = owner;
		await this.#load();
		void this.flush();
	}

	async #load(): Promise<void> {
		const all = await (await database()).getAll('actions');
		this.items = all.filter((a) => a.owner === this.#owner);
	}

	/** Keep an action to send when the connection allows. */
	async add(id: string, action: string, data: FormData, label: string): Promise<void> {
		if (!this.#owner) return;
		const fields: [string, string][] = [];
		for (const [k, v] of data) if (typeof v === 'string' && k !== 'actionId') fields.push([k, v]);
		const item: QueuedAction = {
			id,
			owner: this.#owner,
			action,
			fields,
			label,
			status: 'pending',
			at: Date.now()
		};
		const db = await database();
		// A text saved again while offline: only its latest version is sent (each save is based on
		// the same version, so an earlier one would make the later one look stale).
		const field = data.get('field');
		if (typeof field === 'string')
			for (const other of this.items)
				if (
					other.status === 'pending' &&
					other.action === action &&
					other.fields.some(([k, v]) => k === 'field' && v === field)
				)
					await db.delete('actions', other.seq!);
		if (!(await db.getFromIndex('actions', 'id', id))) await db.add('actions', item);
		await this.#load();
	}

	/** Send what waits, oldest first; stop at the first that cannot reach the server. */
	async flush(): Promise<void> {
		if (this.#flushing || !this.#owner) return;
		this.#flushing = true;
		let sent = 0;
		try {
			const db = await database();
			const waiting = (await db.getAll('actions')).filter(
				(a) => a.owner === this.#owner && a.status === 'pending'
			);
			for (const item of waiting) {
				const answer = await send(item);
				if (!answer) break;
				await db.put('actions', { ...item, ...answer });
				sent++;
			}
		} finally {
			this.#flushing = false;
		}
		if (sent) {
			await this.#load();
			this.onsent();
		}
	}

	/** Forget what is done or refused (the person has read it). */
	async clear(): Promise<void> {
		const db = await database();
		for (const item of await db.getAll('actions'))
			if (item.owner === this.#owner && item.status !== 'pending')
				await db.delete('actions', item.seq!);
		await this.#load();
	}

	/** On signing out: nothing of this person stays on the phone. */
	async forget(): Promise<void> {
		const db = await database();
		await db.clear('actions');
		this.items = [];
		this.#owner = null;
	}

	/**
	 * Progressive enhancement of a form: it posts with an action id made here; offline, or when
	 * the post gets no answer, the action waits in the outbox instead of being lost. `inner` is
	 * the form's own enhancement, used as before when the server answers; `reset` empties the
	 * form once its action is kept, for forms that add something (a comment, an item).
	 */
	enhance(
		label: (data: FormData) => string,
		inner?: SubmitFunction,
		{ reset = false } = {}
	): SubmitFunction {
		return async (input) => {
			const id = crypto.randomUUID();
			input.formData.set('actionId', id);
			const action = input.action.pathname + input.action.search;
			if (!navigator.onLine && this.#owner) {
				input.cancel();
				await this.add(id, action, input.formData, label(input.formData));
				if (reset) input.formElement.reset();
				return;
			}
			const after = await inner?.(input);
			return async (opts) => {
				const { result } = opts;
				if (result.type === 'error' && isNetworkError(result.error) && this.#owner) {
					await this.add(id, action, input.formData, label(input.formData));
					if (reset) input.formElement.reset();
					return;
				}
				if (after) return after(opts);
				return opts.update();
			};
		};
	}
}

/** One answer from the server, or null when it could not be reached (the action waits). */
async function send(item: QueuedAction): Promise<Partial<QueuedAction> | null> {
	const body = new FormData();
	for (const [k, v] of item.fields) body.append(k, v);
	body.set('actionId', item.id);
	let result: ActionResult;
	try {
		const response = await fetch(item.action, {
			method: 'POST',
			body,
			headers: { accept: 'application/json', 'x-sveltekit-action': 'true' },
			cache: 'no-store'
		});
		if (response.status >= 500) return null;
		result = deserialize(await response.text());
	} catch {
		return null;
	}
	if (result.type === 'success' || result.type === 'redirect') return { status: 'done' };
	if (result.type === 'failure') {
		const data = (result.data ?? {}) as FailureData;
		const field = item.fields.find(([k]) => k === 'field')?.[1] ?? 'text';
		const errors = data.errors ?? {};
		const reason = errors._form ?? errors[field] ?? Object.values(errors)[0] ?? '';
		const theirs = data.current?.value ?? data.current?.text;
		if (theirs === undefined) return { status: 'refused', reason };
		const typed = item.fields.find(([k]) => k === field)?.[1] ?? '';
		return { status: 'refused', reason, theirs: String(theirs ?? ''), typed };
	}
	const error = result.error as { message?: string } | undefined;
	return { status: 'refused', reason: error?.message ?? '' };
}

export const outbox = new Outbox();
