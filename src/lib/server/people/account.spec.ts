import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { useTestDb } from '../../../../tests/fixtures/db';
import { domainError } from '../../../../tests/fixtures/domain-error';
import { actorOf, makeUser } from '../../../../tests/fixtures/factories';
import { inbox } from '../../../../tests/fixtures/mailbox';
import { db, schema } from '../db';
import { confirmEmailChange, requestEmailChange, updateProfile } from './account';

useTestDb();

const userRow = async (id: number) =>
	(await db().select().from(schema.users).where(eq(schema.users.id, id)))[0];

const tokenIn = async (to: string) =>
	(await inbox(to))[0]?.text.match(/\/account\/email\/([A-Za-z0-9_-]+)/)?.[1] ?? '';

describe('the account page', () => {
	it('changes the name and language, refusing markup and unknown languages', async () => {
		const ana = actorOf(await makeUser({ name: 'Ana' }));
		await updateProfile(ana, { name: ' Ana Maria ', locale: 'ca' });
		expect(await userRow(ana.id)).toMatchObject({ name: 'Ana Maria', locale: 'ca' });
		const bad = await domainError(() =>
			updateProfile(ana, { name: '<b>Ana</b>', locale: 'xx' as 'en' })
		);
		expect(Object.keys(bad.fields).sort()).toEqual(['locale', 'name']);
		expect((await domainError(() => updateProfile(null, { name: 'X', locale: 'en' }))).kind).toBe(
			'unauthenticated'
		);
	});

	it('changes the e-mail address only through a link sent to the new one, once', async () => {
		const ana = await makeUser();
		const other = await makeUser();
		const fresh = `ana-new-${ana.id}@example.org`;
		await requestEmailChange(actorOf(ana), fresh.toUpperCase(), 'http://t');
		// Nothing changes until the link is used, and it went to the new address only.
		expect((await userRow(ana.id)).email).toBe(ana.email);
		const token = await tokenIn(fresh);
		expect(token).not.toBe('');
		expect(await inbox(ana.email)).toEqual([]);
		// Someone else signed in cannot use Ana's link (and does not spend it).
		expect((await domainError(() => confirmEmailChange(actorOf(other), token))).kind).toBe(
			'invalid'
		);
		// A spent-by-someone-else link is gone: Ana asks again.
		await requestEmailChange(actorOf(ana), fresh, 'http://t');
		const again = await tokenIn(fresh);
		expect(await confirmEmailChange(actorOf(ana), again)).toBe(fresh);
		expect((await userRow(ana.id)).email).toBe(fresh);
		expect((await domainError(() => confirmEmailChange(actorOf(ana), again))).kind).toBe('invalid');
		// An address another account uses, or her own, is refused beside the field.
		const taken = await domainError(() =>
			requestEmailChange(actorOf(ana), other.email, 'http://t')
		);
		expect(Object.keys(taken.fields)).toEqual(['email']);
		const same = await domainError(() => requestEmailChange(actorOf(ana), fresh, 'http://t'));
		expect(Object.keys(same.fields)).toEqual(['email']);
	});
});
