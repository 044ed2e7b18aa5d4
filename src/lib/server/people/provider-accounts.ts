import { and, eq, sql } from 'drizzle-orm';
import { m } from '$lib/paraglide/messages';
import type { ProviderAccount } from '../auth/oidc';
import { logActivity } from '../core/activity';
import { DomainError } from '../core/errors';
import { db, schema } from '../db';

const NAME_MAX = 100;

/**
 * The account someone signs in to through the identity provider: the one already tied to their
 * provider account; else the account with their e-mail, if the provider says it is verified;
 * else a new one. An unverified e-mail never links or creates: anyone can type any address at
 * a provider that does not check it.
 */
export async function signInWithProvider(account: ProviderAccount) {
	const p = schema.providerIdentities;
	const known = and(eq(p.issuer, account.issuer), eq(p.subject, account.subject));
	const [linked] = await db()
		.update(p)
		.set({ lastSignInAt: sql`now()` })
		.where(known)
		.returning({ userId: p.userId });
	if (linked) {
		const [user] = await db().select().from(schema.users).where(eq(schema.users.id, linked.userId));
		await logActivity(db(), { actorId: user.id, action: 'user.signed_in_by_provider' });
		return user;
	}
	if (!account.email || !account.emailVerified) {
		throw new DomainError('forbidden', m.oidc_error_unverified());
	}
	const email = account.email;
	return db().transaction(async (tx) => {
		const name = (account.name?.trim() || email.split('@')[0]).slice(0, NAME_MAX);
		const [created] = await tx
			.insert(schema.users)
			.values({ email, name })
			.onConflictDoNothing()
			.returning();
		const user =
			created ?? (await tx.select().from(schema.users).where(eq(schema.users.email, email)))[0];
		// Two first sign-ins at once: one link wins, the other finds it.
		await tx
			.insert(p)
			.values({ issuer: account.issuer, subject: account.subject, userId: user.id })
			.onConflictDoNothing();
		const [owner] = await tx.select({ userId: p.userId }).from(p).where(known);
		if (owner.userId !== user.id) throw new DomainError('conflict', m.oidc_error_refused());
		await logActivity(tx, {
			actorId: user.id,
			action: created ? 'user.signed_up_by_provider' : 'user.linked_provider',
			data: { issuer: account.issuer }
		});
		return user;
	});
}

/** Whether this person has signed in through the provider before (they may use its sign-out). */
export async function hasProviderIdentity(userId: number): Promise<boolean> {
	const [row] = await db()
		.select({ userId: schema.providerIdentities.userId })
		.from(schema.providerIdentities)
		.where(eq(schema.providerIdentities.userId, userId))
		.limit(1);
	return !!row;
}
