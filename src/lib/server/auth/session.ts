import type { Cookies } from '@sveltejs/kit';
import { eq } from 'drizzle-orm';
import { db, schema } from '../db';
import { live, type InvalidatedCache, type LiveHub } from '../live/hub';
import { constantTimeEqual, randomString, sha256 } from './tokens';

// Sessions as lucia-auth.com describes them: the token is `<id>.<secret>`; the database keeps
// the id and the SHA-256 of the secret, so a leaked table cannot be replayed as cookies.
export const SESSION_COOKIE = 'session';
const DAY_MS = 24 * 60 * 60 * 1000;
export const SESSION_TTL_MS = 30 * DAY_MS;
/** Sliding expiry is written back at most once a day per session. */
const REFRESH_AFTER_MS = DAY_MS;

export interface SessionUser {
	id: number;
	email: string;
	name: string;
	isAdmin: boolean;
	locale: string | null;
}

export interface Session {
	id: string;
	userId: number;
	expiresAt: Date;
}

export async function createSession(userId: number): Promise<{ token: string; session: Session }> {
	const id = randomString(24); // 120 bits
	const secret = randomString(32); // 160 bits
	const expiresAt = new Date(Date.now() + SESSION_TTL_MS);
	await db()
		.insert(schema.sessions)
		.values({ id, secretHash: sha256(secret), userId, expiresAt });
	return { token: `${id}.${secret}`, session: { id, userId, expiresAt } };
}

/**
 * The session and person a token stands for. Once a day at most its expiry moves on
 * (`refreshed`, and the caller writes the cookie again); `refresh: false` leaves it for a request
 * that writes no cookie (the live stream served on the raw socket).
 */
export async function validateSessionToken(
	token: string | undefined,
	{ refresh = true }: { refresh?: boolean } = {}
): Promise<{ session: Session; user: SessionUser; refreshed: boolean } | null> {
	if (!token) return null;
	const [id, secret, extra] = token.split('.');
	if (!id || !secret || extra !== undefined || id.length !== 24 || secret.length !== 32)
		return null;

	const row = await sessionCache().get(id, () => sessionRow(id));
	if (!row) return null;
	if (!constantTimeEqual(sha256(secret), row.secretHash)) return null;

	const now = Date.now();
	if (row.expiresAt.getTime() <= now) {
		await invalidateSession(row.id);
		return null;
	}
	let expiresAt = row.expiresAt;
	let refreshed = false;
	if (refresh && now + SESSION_TTL_MS - expiresAt.getTime() >= REFRESH_AFTER_MS) {
		expiresAt = new Date(now + SESSION_TTL_MS);
		await db().update(schema.sessions).set({ expiresAt }).where(eq(schema.sessions.id, row.id));
		sessionCache().update(id, { ...row, expiresAt });
		refreshed = true;
	}
	return {
		session: { id: row.id, userId: row.userId, expiresAt },
		user: {
			id: row.userId,
			email: row.email,
			name: row.name,
			isAdmin: row.isAdmin,
			locale: row.locale
		},
		refreshed
	};
}

async function sessionRow(id: string) {
	const s = schema.sessions;
	const u = schema.users;
	const [row] = await db()
		.select({
			id: s.id,
			secretHash: s.secretHash,
			userId: s.userId,
			expiresAt: s.expiresAt,
			email: u.email,
			name: u.name,
			isAdmin: u.isAdmin,
			locale: u.locale
		})
		.from(s)
		.innerJoin(u, eq(u.id, s.userId))
		.where(eq(s.id, id));
	return row;
}

type SessionRow = NonNullable<Awaited<ReturnType<typeof sessionRow>>>;

// Every request of a signed-in person starts with their session: each instance keeps it, with
// the person, for a few seconds, and forgets it when the session or the person changes.
const SESSION_CACHE_MS = 5_000;
const sessionCaches = new WeakMap<LiveHub, InvalidatedCache<SessionRow>>();

function sessionCache(): InvalidatedCache<SessionRow> {
	const hub = live();
	let cache = sessionCaches.get(hub);
	if (!cache) {
		cache = hub.cache<SessionRow>(SESSION_CACHE_MS, {
			sessions: (key, row) => row.id === key,
			users: (key, row) => String(row.userId) === key
		});
		sessionCaches.set(hub, cache);
	}
	return cache;
}

export async function invalidateSession(sessionId: string): Promise<void> {
	await db().delete(schema.sessions).where(eq(schema.sessions.id, sessionId));
	live().forget('sessions', sessionId);
}

export async function invalidateUserSessions(userId: number): Promise<void> {
	await db().delete(schema.sessions).where(eq(schema.sessions.userId, userId));
	live().forget('users', userId);
}

function isLocalhost(url: URL): boolean {
	return url.hostname === 'localhost' || url.hostname === '127.0.0.1' || url.hostname === '[::1]';
}

export function setSessionCookie(cookies: Cookies, url: URL, token: string, expiresAt: Date) {
	cookies.set(SESSION_COOKIE, token, {
		path: '/',
		httpOnly: true,
		sameSite: 'lax',
		secure: !isLocalhost(url),
		expires: expiresAt
	});
}

export function deleteSessionCookie(cookies: Cookies, url: URL) {
	cookies.delete(SESSION_COOKIE, {
		path: '/',
		httpOnly: true,
		sameSite: 'lax',
		secure: !isLocalhost(url)
	});
}

/** A fresh session on every sign-in, so a session fixed before sign-in is never promoted. */
export async function startSession(cookies: Cookies, url: URL, userId: number): Promise<void> {
	const old = cookies.get(SESSION_COOKIE)?.split('.')[0];
	if (old) await invalidateSession(old);
	const { token, session } = await createSession(userId);
	setSessionCookie(cookies, url, token, session.expiresAt);
}
