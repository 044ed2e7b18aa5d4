import { and, eq, gt, isNull } from 'drizzle-orm';
import { db, schema } from '../db';
import { randomString, sha256 } from './tokens';

export type LinkPurpose = 'sign_in' | 'password_reset' | 'email_change';
export const LINK_TTL_MS = 15 * 60 * 1000;

/** A single-use token for an e-mailed link; only its hash is kept. */
export async function createEmailToken(
	purpose: LinkPurpose,
	email: string,
	userId: number | null = null
): Promise<string> {
	const token = randomString(40);
	await db()
		.insert(schema.emailTokens)
		.values({
			tokenHash: sha256(token),
			purpose,
			email,
			userId,
			expiresAt: new Date(Date.now() + LINK_TTL_MS)
		});
	return token;
}

/** Spend a token: one UPDATE, so two clicks at once cannot both succeed. */
export async function consumeEmailToken(
	purpose: LinkPurpose,
	token: string
): Promise<string | null> {
	const t = schema.emailTokens;
	const [row] = await db()
		.update(t)
		.set({ usedAt: new Date() })
		.where(
			and(
				eq(t.tokenHash, sha256(token)),
				eq(t.purpose, purpose),
				isNull(t.usedAt),
				gt(t.expiresAt, new Date())
			)
		)
		.returning({ email: t.email });
	return row?.email ?? null;
}

/** Whether a token could still be spent, without spending it (to show the confirm page). */
export async function peekEmailToken(purpose: LinkPurpose, token: string): Promise<string | null> {
	const t = schema.emailTokens;
	const [row] = await db()
		.select({ email: t.email })
		.from(t)
		.where(
			and(
				eq(t.tokenHash, sha256(token)),
				eq(t.purpose, purpose),
				isNull(t.usedAt),
				gt(t.expiresAt, new Date())
			)
		);
	return row?.email ?? null;
}

/** Spend a change-of-address token: the new address and whose account it is for. */
export async function consumeEmailChange(token: string) {
	const t = schema.emailTokens;
	const [row] = await db()
		.update(t)
		.set({ usedAt: new Date() })
		.where(
			and(
				eq(t.tokenHash, sha256(token)),
				eq(t.purpose, 'email_change'),
				isNull(t.usedAt),
				gt(t.expiresAt, new Date())
			)
		)
		.returning({ email: t.email, userId: t.userId });
	return row?.userId ? { email: row.email, userId: row.userId } : null;
}
