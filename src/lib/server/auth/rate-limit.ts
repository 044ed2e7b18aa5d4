import { sql } from 'drizzle-orm';
import { m } from '$lib/paraglide/messages';
import { db, schema } from '../db';
import { DomainError } from '../core/errors';

export interface Limit {
	/** Attempts allowed per window. */
	max: number;
	windowSeconds: number;
}

// Per e-mail address first: that is what protects an account and an inbox. Per client address
// only with a ceiling a venue can live with: 150 people behind one NAT each asking for a link
// twice, signing in, or signing up, stay under it (README: "Rate limits").
export const LIMITS = {
	signInPerEmail: { max: 10, windowSeconds: 15 * 60 },
	signInPerIp: { max: 600, windowSeconds: 15 * 60 },
	signUpPerIp: { max: 300, windowSeconds: 60 * 60 },
	linkPerEmail: { max: 5, windowSeconds: 15 * 60 },
	linkPerIp: { max: 450, windowSeconds: 15 * 60 },
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

/**
 * Consume the keys in order and throw `rate_limited` at the first one over its limit. Later keys
 * are not counted then, so someone hammering one e-mail address does not use up the ceiling of
 * the address a whole venue shares.
 */
export async function enforce(checks: [string, Limit][], message: string): Promise<void> {
	for (const [key, limit] of checks) {
		if (!(await consume(key, limit))) throw new DomainError('rate_limited', message);
	}
}

/** A password sign-in: per account, then per client address. */
export const limitPasswordSignIn = (email: string, address: string) =>
	enforce(
		[
			[`signin:email:${email}`, LIMITS.signInPerEmail],
			[`signin:ip:${address}`, LIMITS.signInPerIp]
		],
		m.error_rate_limited()
	);

/** A mailed link (sign-in or password reset): per inbox, then per client address. */
export const limitEmailLink = (email: string, address: string) =>
	enforce(
		[
			[`link:email:${email}`, LIMITS.linkPerEmail],
			[`link:ip:${address}`, LIMITS.linkPerIp]
		],
		m.error_rate_limited()
	);

export const limitSignUp = (address: string) =>
	enforce([[`signup:ip:${address}`, LIMITS.signUpPerIp]], m.error_rate_limited());
