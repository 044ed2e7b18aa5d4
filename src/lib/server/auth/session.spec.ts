import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { useTestDb } from '../../../../tests/fixtures/db';
import { makeUser } from '../../../../tests/fixtures/factories';
import { db, schema } from '../db';
import {
	createSession,
	invalidateSession,
	invalidateUserSessions,
	SESSION_TTL_MS,
	validateSessionToken
} from './session';
import { sha256 } from './tokens';

useTestDb();

describe('sessions', () => {
	it('stores only the id and a SHA-256 of the secret, never the token', async () => {
		const user = await makeUser();
		const { token } = await createSession(user.id);
		const [id, secret] = token.split('.');
		expect(secret).toHaveLength(32); // 32 symbols x 5 bits = 160 bits of secret
		const [row] = await db().select().from(schema.sessions).where(eq(schema.sessions.id, id));
		expect(row.secretHash).toBe(sha256(secret));
		expect(JSON.stringify(row)).not.toContain(secret);
	});

	it('accepts the token it issued and names its user', async () => {
		const user = await makeUser({ name: 'Ada' });
		const { token } = await createSession(user.id);
		const result = await validateSessionToken(token);
		expect(result?.user).toMatchObject({ id: user.id, name: 'Ada' });
	});

	it('rejects a tampered secret, a tampered id and malformed tokens', async () => {
		const user = await makeUser();
		const { token } = await createSession(user.id);
		const [id, secret] = token.split('.');
		const flip = (s: string) => (s[0] === 'a' ? 'b' : 'a') + s.slice(1);
		expect(await validateSessionToken(`${id}.${flip(secret)}`)).toBeNull();
		expect(await validateSessionToken(`${flip(id)}.${secret}`)).toBeNull();
		expect(await validateSessionToken(secret)).toBeNull();
		expect(await validateSessionToken(`${token}.x`)).toBeNull();
		expect(await validateSessionToken('')).toBeNull();
	});

	it('rejects an expired session and removes it', async () => {
		const user = await makeUser();
		const { token, session } = await createSession(user.id);
		await db()
			.update(schema.sessions)
			.set({ expiresAt: new Date(Date.now() - 1000) })
			.where(eq(schema.sessions.id, session.id));
		expect(await validateSessionToken(token)).toBeNull();
		const rows = await db()
			.select()
			.from(schema.sessions)
			.where(eq(schema.sessions.id, session.id));
		expect(rows).toHaveLength(0);
	});

	it('slides the expiry forward once a day has passed, not on every request', async () => {
		const user = await makeUser();
		const { token, session } = await createSession(user.id);
		const fresh = await validateSessionToken(token);
		expect(fresh?.session.expiresAt.getTime()).toBe(session.expiresAt.getTime());

		const twoDaysUsed = new Date(Date.now() + SESSION_TTL_MS - 2 * 86_400_000);
		await db()
			.update(schema.sessions)
			.set({ expiresAt: twoDaysUsed })
			.where(eq(schema.sessions.id, session.id));
		const slid = await validateSessionToken(token);
		expect(slid!.session.expiresAt.getTime()).toBeGreaterThan(twoDaysUsed.getTime() + 86_400_000);
	});

	it('signing out invalidates the session; a password reset ends them all', async () => {
		const user = await makeUser();
		const a = await createSession(user.id);
		const b = await createSession(user.id);
		await invalidateSession(a.session.id);
		expect(await validateSessionToken(a.token)).toBeNull();
		expect(await validateSessionToken(b.token)).not.toBeNull();
		await invalidateUserSessions(user.id);
		expect(await validateSessionToken(b.token)).toBeNull();
	});

	it('says when the expiry moved, so the cookie is written again only then', async () => {
		const user = await makeUser();
		const { token, session } = await createSession(user.id);
		expect((await validateSessionToken(token))?.refreshed).toBe(false);
		const twoDaysUsed = new Date(Date.now() + SESSION_TTL_MS - 2 * 86_400_000);
		await db()
			.update(schema.sessions)
			.set({ expiresAt: twoDaysUsed })
			.where(eq(schema.sessions.id, session.id));
		await expect.poll(async () => (await validateSessionToken(token))?.refreshed).toBe(true);
		expect((await validateSessionToken(token))?.refreshed).toBe(false);
	});

	it('a session kept in memory is forgotten as soon as its row goes, whoever deletes it', async () => {
		const user = await makeUser();
		const { token, session } = await createSession(user.id);
		expect(await validateSessionToken(token)).not.toBeNull();
		// Deleted behind the module's back, as another instance would: the database announces it.
		await db().delete(schema.sessions).where(eq(schema.sessions.id, session.id));
		await expect.poll(() => validateSessionToken(token), { timeout: 2000 }).toBeNull();
	});
});
