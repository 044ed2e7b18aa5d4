import { fail, isActionFailure, isRedirect, redirect, type ActionFailure } from '@sveltejs/kit';
import { and, eq, lt } from 'drizzle-orm';
import * as devalue from 'devalue';
import { db, inTransaction, schema } from '../db';

// Exactly once for actions sent with an id made on the person's phone: a phone that lost its
// connection sends a queued action again, maybe twice at once, and it must count once. The id is
// claimed with an insert in the same transaction as the action, so a second delivery of the same
// id queues on that row until the first commits and then reads its answer; if the first fails
// unexpectedly, everything rolls back and the next delivery applies it.

const a = schema.appliedActions;

/** The form field an action id travels in (forms sent without JavaScript have none). */
export const ACTION_ID_FIELD = 'actionId';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The action id a form carries, taken out of the form so nothing else reads it as a field. */
export function takeActionId(data: FormData): string | null | 'malformed' {
	const id = data.get(ACTION_ID_FIELD);
	data.delete(ACTION_ID_FIELD);
	if (id === null || id === '') return null;
	return typeof id === 'string' && UUID.test(id) ? id.toLowerCase() : 'malformed';
}

type Stored =
	| { kind: 'answer'; data: unknown }
	| { kind: 'failure'; status: number; data: unknown }
	| { kind: 'redirect'; status: number; location: string };

type Redirect = { status: number; location: string };

function replay<T>(stored: Stored): T {
	if (stored.kind === 'failure') return fail(stored.status, stored.data) as T;
	if (stored.kind === 'redirect')
		redirect(stored.status as Parameters<typeof redirect>[0], stored.location);
	return stored.data as T;
}

/**
 * Apply `run` once for this person and action id. The first delivery runs it inside one
 * transaction with the id's row and stores its answer (a value, a form failure or a redirect);
 * every later one, including one sent at the same moment, changes nothing and gets that answer.
 * An unexpected error rolls both back, so the action can be sent again.
 */
export async function once<T>(userId: number, actionId: string, run: () => Promise<T>): Promise<T> {
	const stored = await inTransaction(async (tx): Promise<Stored> => {
		const claimed = await tx
			.insert(a)
			.values({ userId, actionId })
			.onConflictDoNothing()
			.returning({ actionId: a.actionId });
		if (!claimed.length) {
			const [row] = await tx
				.select({ answer: a.answer })
				.from(a)
				.where(and(eq(a.userId, userId), eq(a.actionId, actionId)));
			if (!row?.answer) throw new Error(`action ${actionId} was claimed without an answer`);
			return devalue.parse(row.answer) as Stored;
		}
		const outcome = await settle(run);
		await tx
			.update(a)
			.set({ answer: devalue.stringify(outcome) })
			.where(and(eq(a.userId, userId), eq(a.actionId, actionId)));
		return outcome;
	});
	return replay<T>(stored);
}

async function settle(run: () => Promise<unknown>): Promise<Stored> {
	try {
		const answer = await run();
		if (isActionFailure(answer)) {
			const { status, data } = answer as ActionFailure<unknown>;
			return { kind: 'failure', status, data };
		}
		return { kind: 'answer', data: answer };
	} catch (e) {
		// A redirect is an answer (the action is done); any other error undoes it.
		if (isRedirect(e)) return { kind: 'redirect', ...(e as Redirect) };
		throw e;
	}
}

/** Ids older than a week are forgotten: no phone keeps an unsent action that long. */
export async function forgetOldActions(now = new Date()): Promise<number> {
	const before = new Date(now.getTime() - 7 * 86_400_000);
	const gone = await db()
		.delete(a)
		.where(lt(a.createdAt, before))
		.returning({ actionId: a.actionId });
	return gone.length;
}
