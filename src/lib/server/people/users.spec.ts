import { desc, eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { m } from '$lib/paraglide/messages';
import { domainError } from '../../../../tests/fixtures/domain-error';
import { useTestDb } from '../../../../tests/fixtures/db';
import { consume, enforce } from '../auth/rate-limit';
import { createSession, validateSessionToken } from '../auth/session';
import { db, schema } from '../db';
import {
	findUserByEmail,
	requestSignUp,
	authenticate,
	createFirstAdmin,
	isSetupNeeded,
	requestPasswordReset,
	requestSignInLink,
	resetPassword,
	signInWithLink,
	signUp
} from './users';

useTestDb();

const ORIGIN = 'http://commonspace.test';

async function lastMailTo(email: string) {
	const [message] = await db()
		.select()
		.from(schema.outbox)
		.where(eq(schema.outbox.to, email))
		.orderBy(desc(schema.outbox.id))
		.limit(1);
	return message;
}

function linkIn(text: string, path: string): string {
	const match = text.match(new RegExp(`${ORIGIN}${path}/([a-z0-9]+)`));
	if (!match) throw new Error(`no ${path} link in: ${text}`);
	return match[1];
}

describe('first start', () => {
	it('needs setup until an account exists; two racing setups make exactly one admin', async () => {
		expect(await isSetupNeeded()).toBe(true);
		const results = await Promise.allSettled([
			createFirstAdmin({ email: 'a@example.org', name: 'A', password: 'correct horse battery' }),
			createFirstAdmin({ email: 'b@example.org', name: 'B', password: 'correct horse battery' })
		]);
		expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
		const admins = await db().select().from(schema.users).where(eq(schema.users.isAdmin, true));
		expect(admins).toHaveLength(1);
		expect(await isSetupNeeded()).toBe(false);
		const again = await domainError(() =>
			createFirstAdmin({ email: 'c@example.org', name: 'C', password: 'correct horse battery' })
		);
		expect(again.kind).toBe('conflict');
	});
});

describe('accounts', () => {
	it('signs up with an argon2id hash and signs in only with the right password', async () => {
		const user = await signUp({
			email: 'ada@example.org',
			name: 'Ada',
			password: 'analytical engine'
		});
		expect(user.passwordHash).toMatch(/^\$argon2id\$/);
		expect((await authenticate('ada@example.org', 'analytical engine')).id).toBe(user.id);
		const wrong = await domainError(() => authenticate('ada@example.org', 'difference engine'));
		expect(wrong.fields.password).toBe(m.error_sign_in());
		const unknown = await domainError(() =>
			authenticate('nobody@example.org', 'analytical engine')
		);
		// The same message either way, so the form does not reveal which e-mails have accounts.
		expect(unknown.fields.password).toBe(wrong.fields.password);
	});

	it('answers the sign-up form the same whether or not the address has an account', async () => {
		const first = { email: 'known@example.org', name: 'Known', password: 'a long password' };
		await requestSignUp(first, ORIGIN);
		const welcome = await lastMailTo('known@example.org');
		expect(welcome.subject).toBe(m.mail_sign_up_subject());
		const created = await findUserByEmail('known@example.org');
		expect(created.name).toBe('Known');

		// Someone else tries the same address: no error, no second account, nothing changed;
		// the owner is told and given a way in.
		const again = await requestSignUp(
			{ email: 'known@example.org', name: 'Intruder', password: 'another password' },
			ORIGIN
		);
		expect(again).toBeUndefined();
		const note = await lastMailTo('known@example.org');
		expect(note.subject).toBe(m.mail_sign_up_exists_subject());
		expect(note.text).toContain(`${ORIGIN}/reset`);
		const token = linkIn(note.text, '/signin/link');
		expect((await signInWithLink(token)).id).toBe(created.id);
		const after = await findUserByEmail('known@example.org');
		expect(after.name).toBe('Known');
		expect(after.passwordHash).toBe(created.passwordHash);
		expect((await authenticate('known@example.org', 'a long password')).id).toBe(created.id);
	});

	it('refuses a second account for the same e-mail next to the e-mail field', async () => {
		await signUp({ email: 'twice@example.org', name: 'One', password: 'a long password' });
		const e = await domainError(() =>
			signUp({ email: 'twice@example.org', name: 'Two', password: 'another password' })
		);
		expect(e.fields.email).toBe(m.error_email_taken());
	});
});

describe('sign-in links', () => {
	it('mails a single-use link that signs in once', async () => {
		const user = await signUp({
			email: 'link@example.org',
			name: 'Linus',
			password: 'a long password'
		});
		await requestSignInLink('link@example.org', ORIGIN);
		const token = linkIn((await lastMailTo('link@example.org')).text, '/signin/link');
		const stored = await db().select().from(schema.emailTokens);
		expect(JSON.stringify(stored)).not.toContain(token);
		expect((await signInWithLink(token)).id).toBe(user.id);
		expect((await domainError(() => signInWithLink(token))).kind).toBe('not_found');
	});

	it('two clicks at once: exactly one signs in', async () => {
		await signUp({ email: 'race@example.org', name: 'Race', password: 'a long password' });
		await requestSignInLink('race@example.org', ORIGIN);
		const token = linkIn((await lastMailTo('race@example.org')).text, '/signin/link');
		const results = await Promise.allSettled([
			signInWithLink(token),
			signInWithLink(token),
			signInWithLink(token)
		]);
		expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
	});

	it('expires after 15 minutes', async () => {
		await signUp({ email: 'late@example.org', name: 'Late', password: 'a long password' });
		await requestSignInLink('late@example.org', ORIGIN);
		const token = linkIn((await lastMailTo('late@example.org')).text, '/signin/link');
		await db()
			.update(schema.emailTokens)
			.set({ expiresAt: new Date(Date.now() - 1) })
			.where(eq(schema.emailTokens.email, 'late@example.org'));
		expect((await domainError(() => signInWithLink(token))).kind).toBe('not_found');
	});

	it('an unknown address gets a "no account" note and no link', async () => {
		await requestSignInLink('stranger@example.org', ORIGIN);
		const mail = await lastMailTo('stranger@example.org');
		expect(mail.text).toContain(`${ORIGIN}/signup`);
		expect(mail.text).not.toContain('/signin/link/');
	});
});

describe('password reset', () => {
	it('sets the new password and ends every session of the account', async () => {
		const user = await signUp({
			email: 'reset@example.org',
			name: 'Reset',
			password: 'old password 1'
		});
		const { token: sessionToken } = await createSession(user.id);
		await requestPasswordReset('reset@example.org', ORIGIN);
		const token = linkIn((await lastMailTo('reset@example.org')).text, '/reset');
		await resetPassword(token, 'new password 2');
		expect(await validateSessionToken(sessionToken)).toBeNull();
		expect(
			(await domainError(() => authenticate('reset@example.org', 'old password 1'))).fields.password
		).toBe(m.error_sign_in());
		expect((await authenticate('reset@example.org', 'new password 2')).id).toBe(user.id);
		// A reset link cannot sign in, and a sign-in link cannot reset: purposes do not mix.
		expect((await domainError(() => signInWithLink(token))).kind).toBe('not_found');
	});
});

describe('rate limits', () => {
	it('allows max attempts per window, then refuses, per key', async () => {
		const limit = { max: 3, windowSeconds: 60 };
		const seen = [];
		for (let i = 0; i < 5; i++) seen.push(await consume('test:a', limit));
		expect(seen).toEqual([true, true, true, false, false]);
		expect(await consume('test:b', limit)).toBe(true);
	});

	it('counts concurrent attempts exactly', async () => {
		const limit = { max: 10, windowSeconds: 60 };
		const results = await Promise.all(
			Array.from({ length: 30 }, () => consume('test:burst', limit))
		);
		expect(results.filter(Boolean)).toHaveLength(10);
	});

	it('starts a new window once the old one is over', async () => {
		const limit = { max: 1, windowSeconds: 60 };
		expect(await consume('test:window', limit)).toBe(true);
		expect(await consume('test:window', limit)).toBe(false);
		await db()
			.update(schema.rateLimits)
			.set({ windowStart: new Date(Date.now() - 61_000) })
			.where(eq(schema.rateLimits.key, 'test:window'));
		expect(await consume('test:window', limit)).toBe(true);
	});

	it('enforce throws rate_limited when any key is over', async () => {
		const tight = { max: 1, windowSeconds: 60 };
		await enforce([['test:e', tight]], 'slow down');
		const e = await domainError(() => enforce([['test:e', tight]], 'slow down'));
		expect(e.kind).toBe('rate_limited');
	});
});
