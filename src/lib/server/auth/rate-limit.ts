import { sql } from 'drizzle-orm';
import { db, schema } from '../db';
import { DomainError } from '../core/errors';

export interface Limit {
	/** Attempts allowed per window. */
	max: number;
	windowSeconds: number;
}

export const LIMITS = {
	signInPerEmail: { max: 10, windowSeconds: 15 * 60 },
	signInPerIp: { max: 50, windowSeconds: 15 * 60 },
	signUpPerIp: { max: 20, windowSeconds: 60 * 60 },
	linkPerEmail: { max: 5, windowSeconds: 15 * 60 },
	linkPerIp: { max: 30, windowSeconds: 15 * 60 },
	// Orders: one client may be a whole venue or office behind one NAT address, so its ceiling
	// lets 150 people order in ten minutes with a retry each to spare; hoarding is stopped by the
	// confirmation mail and the per-person limit, not here.
	orderPerIp: { max: 200, windowSeconds: 10 * 60 },
	orderPerEmail: { max: 10, windowSeconds: 60 * 60 },
	// Mails anyone can cause to be sent to an address (sign-in links, resets, order
	// confirmations): the first few an hour go out, the rest are held back.
	mailPerAddress: { max: 5, windowSeconds: 60 * 60 }
} satisfies Record<string, Limit>;

/**
 * Count one attempt against `key` and say whether it is still within the limit. A single
 * upsert, so concurrent requests on several app instances cannot both slip under it.
 */
export async function consume(key: string, limit: Limit): Promise<boolean> {
	const r = schema.rateLimits;
	const expired = sql`${r.windowStart} < now() - make_interval(secs => ${limit.windowSeconds})`;
	const [row] = await db()
		.insert(r)
		.values({ key, windowStart: sql`now()`, count: 1 })
		.onConflictDoUpdate({
			target: r.key,
			set: {
				count: sql`case when ${expired} then 1 else ${r.count} + 1 end`,
				windowStart: sql`case when ${expired} then now() else ${r.windowStart} end`
			}
		})
		.returning({ count: r.count });
	return row.count <= limit.max;
}

/** Consume every key and throw `rate_limited` if any is over its limit. */
export async function enforce(checks: [string, Limit][], message: string): Promise<void> {
	let ok = true;
	for (const [key, limit] of checks) ok = (await consume(key, limit)) && ok;
	if (!ok) throw new DomainError('rate_limited', message);
}
