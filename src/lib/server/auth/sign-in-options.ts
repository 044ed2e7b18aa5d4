import { eq } from 'drizzle-orm';
import { m } from '$lib/paraglide/messages';
import { logActivity } from '../core/activity';
import { DomainError, invalid } from '../core/errors';
import { db, schema } from '../db';
import { requireAdmin, type Actor } from './guards';
import { providerSettings } from './oidc';

export interface SignInOptions {
	/** The identity provider's button, when one is configured. */
	provider: { label: string } | null;
	/** Passwords, e-mailed links, sign-up and password resets. */
	local: boolean;
}

async function providerOnlySetting(): Promise<boolean> {
	const [row] = await db()
		.select({ providerOnly: schema.instanceSettings.providerOnly })
		.from(schema.instanceSettings)
		.where(eq(schema.instanceSettings.id, 1));
	return row?.providerOnly ?? false;
}

/**
 * How people may sign in now. "Only the provider" holds only while a provider is configured:
 * removing OIDC_ISSUER is the way back in if the provider is lost.
 */
export async function signInOptions(): Promise<SignInOptions> {
	const settings = providerSettings();
	if (!settings) return { provider: null, local: true };
	return { provider: { label: settings.label }, local: !(await providerOnlySetting()) };
}

/** Every password, link, sign-up and reset step calls this first. */
export async function requireLocalSignIn(): Promise<void> {
	if (!(await signInOptions()).local) {
		throw new DomainError('forbidden', m.oidc_only_refused());
	}
}

/**
 * Make the provider the only way in, or not. Turning it on needs a provider and an admin who
 * has signed in through it, so the admin cannot lock themselves out.
 */
export async function setProviderOnly(actor: Actor, on: boolean): Promise<void> {
	requireAdmin(actor);
	if (on) {
		const settings = providerSettings();
		if (!settings) throw invalid({ providerOnly: m.oidc_error_not_configured() });
		const [linked] = await db()
			.select({ userId: schema.providerIdentities.userId })
			.from(schema.providerIdentities)
			.where(eq(schema.providerIdentities.userId, actor.id))
			.limit(1);
		if (!linked) {
			throw invalid({ providerOnly: m.oidc_only_needs_link({ provider: settings.label }) });
		}
	}
	const s = schema.instanceSettings;
	await db().transaction(async (tx) => {
		await tx
			.insert(s)
			.values({ id: 1, providerOnly: on })
			.onConflictDoUpdate({ target: s.id, set: { providerOnly: on, updatedAt: new Date() } });
		await logActivity(tx, {
			actorId: actor.id,
			action: on ? 'instance.provider_only_on' : 'instance.provider_only_off'
		});
	});
}

/** For /admin: what is configured and what is set. */
export async function describeSignIn(actor: Actor) {
	requireAdmin(actor);
	const settings = providerSettings();
	return {
		provider: settings && { label: settings.label, issuer: settings.issuer.href },
		providerOnly: await providerOnlySetting()
	};
}
