import type { Cookies } from '@sveltejs/kit';
import * as client from 'openid-client';
import { m } from '$lib/paraglide/messages';
import { DomainError } from '../core/errors';
import { log } from '../core/log';

/**
 * Sign-in through the co-op's identity provider (OpenID Connect): the authorisation-code flow
 * with PKCE, state and nonce, by `openid-client`. Configured by environment; without
 * OIDC_ISSUER nothing here is used and passwords and links work as before.
 */
export interface ProviderSettings {
	issuer: URL;
	clientId: string;
	clientSecret: string;
	/** The provider's name on the sign-in button: "Continue with <label>". */
	label: string;
}

export function providerSettings(): ProviderSettings | null {
	const issuer = process.env.OIDC_ISSUER;
	const clientId = process.env.OIDC_CLIENT_ID;
	if (!issuer || !clientId) return null;
	const url = new URL(issuer);
	return {
		issuer: url,
		clientId,
		clientSecret: process.env.OIDC_CLIENT_SECRET ?? '',
		label: process.env.OIDC_LABEL || url.host
	};
}

// Discovery is asked once and kept; a failure is not kept, so a provider that was down at start
// is found when it comes back.
let discovered: { key: string; config: Promise<client.Configuration> } | undefined;

function configuration(settings: ProviderSettings): Promise<client.Configuration> {
	const key = `${settings.issuer.href} ${settings.clientId}`;
	if (discovered?.key !== key) {
		const loopback = ['localhost', '127.0.0.1', '[::1]'].includes(settings.issuer.hostname);
		const config = client
			.discovery(
				settings.issuer,
				settings.clientId,
				undefined,
				settings.clientSecret ? client.ClientSecretPost(settings.clientSecret) : client.None(),
				// Plain HTTP only to a provider on this machine (development, the test provider).
				{ timeout: 10, execute: loopback ? [client.allowInsecureRequests] : [] }
			)
			.catch((e: unknown) => {
				discovered = undefined;
				throw e;
			});
		discovered = { key, config };
	}
	return discovered.config;
}

/** What the app keeps between sending someone to the provider and their return. */
interface Pending {
	state: string;
	nonce: string;
	verifier: string;
	redirectTo: string;
}

const PENDING_COOKIE = 'oidc_pending';
const CALLBACK = '/signin/oidc/callback';

function pendingCookieOptions(url: URL) {
	const local = ['localhost', '127.0.0.1', '[::1]'].includes(url.hostname);
	// Lax, so the cookie comes back on the provider's top-level redirect to the callback.
	return { path: '/signin/oidc', httpOnly: true, sameSite: 'lax' as const, secure: !local };
}

/** The provider's sign-in page for this visitor; state, nonce and verifier wait in a cookie. */
export async function beginProviderSignIn(
	cookies: Cookies,
	url: URL,
	redirectTo: string
): Promise<URL> {
	const settings = requireSettings();
	const config = await reach(settings);
	const pending: Pending = {
		state: client.randomState(),
		nonce: client.randomNonce(),
		verifier: client.randomPKCECodeVerifier(),
		redirectTo
	};
	cookies.set(PENDING_COOKIE, Buffer.from(JSON.stringify(pending)).toString('base64url'), {
		...pendingCookieOptions(url),
		maxAge: 10 * 60
	});
	return client.buildAuthorizationUrl(config, {
		redirect_uri: new URL(CALLBACK, url).href,
		scope: 'openid email profile',
		code_challenge: await client.calculatePKCECodeChallenge(pending.verifier),
		code_challenge_method: 'S256',
		state: pending.state,
		nonce: pending.nonce
	});
}

export interface ProviderAccount {
	issuer: string;
	subject: string;
	email: string | null;
	emailVerified: boolean;
	name: string | null;
}

/**
 * Check the provider's answer on the callback URL: the state must be the one this browser was
 * sent with, the code is exchanged with the PKCE verifier, the ID token must carry our nonce.
 */
export async function finishProviderSignIn(
	cookies: Cookies,
	url: URL
): Promise<{ account: ProviderAccount; redirectTo: string }> {
	const settings = requireSettings();
	const raw = cookies.get(PENDING_COOKIE);
	cookies.delete(PENDING_COOKIE, pendingCookieOptions(url));
	const pending = raw ? readPending(raw) : null;
	if (!pending) throw new DomainError('invalid', m.oidc_error_expired());
	const config = await reach(settings);
	try {
		const tokens = await client.authorizationCodeGrant(config, url, {
			pkceCodeVerifier: pending.verifier,
			expectedState: pending.state,
			expectedNonce: pending.nonce,
			idTokenExpected: true
		});
		const claims = tokens.claims()!;
		const info = await client.fetchUserInfo(config, tokens.access_token, claims.sub);
		const email = info.email ?? (claims.email as string | undefined) ?? null;
		const verified = info.email_verified ?? claims.email_verified;
		return {
			account: {
				issuer: config.serverMetadata().issuer,
				subject: claims.sub,
				email: email ? email.trim().toLowerCase() : null,
				// Some providers send the flag as a string.
				emailVerified: verified === true || verified === 'true',
				name: info.name ?? info.preferred_username ?? null
			},
			redirectTo: pending.redirectTo
		};
	} catch (e) {
		log.warn({ err: e }, 'identity provider answer refused');
		throw new DomainError('invalid', m.oidc_error_refused());
	}
}

/** The provider's own sign-out page, when it has one (RP-initiated logout). */
export async function providerLogoutUrl(returnTo: URL): Promise<string | null> {
	const settings = providerSettings();
	if (!settings) return null;
	try {
		const config = await configuration(settings);
		if (!config.serverMetadata().end_session_endpoint) return null;
		return client
			.buildEndSessionUrl(config, {
				client_id: settings.clientId,
				post_logout_redirect_uri: returnTo.href
			})
			.toString();
	} catch (e) {
		log.warn({ err: e }, 'identity provider unreachable for sign-out');
		return null;
	}
}

function requireSettings(): ProviderSettings {
	const settings = providerSettings();
	if (!settings) throw new DomainError('not_found', m.oidc_error_not_configured());
	return settings;
}

async function reach(settings: ProviderSettings): Promise<client.Configuration> {
	try {
		return await configuration(settings);
	} catch (e) {
		log.error({ err: e, issuer: settings.issuer.href }, 'identity provider unreachable');
		throw new DomainError('conflict', m.oidc_error_unreachable({ provider: settings.label }));
	}
}

function readPending(raw: string): Pending | null {
	try {
		const value = JSON.parse(Buffer.from(raw, 'base64url').toString()) as Partial<Pending>;
		const ok = ['state', 'nonce', 'verifier', 'redirectTo'].every(
			(k) => typeof value[k as keyof Pending] === 'string'
		);
		return ok ? (value as Pending) : null;
	} catch {
		return null;
	}
}
