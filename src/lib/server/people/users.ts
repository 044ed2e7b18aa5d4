import { count, eq, sql } from 'drizzle-orm';
import { m } from '$lib/paraglide/messages';
import { createEmailToken, consumeEmailToken } from '../auth/email-link';
import { hashPassword, verifyPassword } from '../auth/password';
import { invalidateUserSessions } from '../auth/session';
import { requireLocalSignIn } from '../auth/sign-in-options';
import { logActivity } from '../core/activity';
import { db, schema } from '../db';
import { live } from '../live/hub';
import { DomainError, invalid } from '../core/errors';
import { sendCappedMail, mailTo } from '../core/mail';
import type { EventCreation } from '$lib/constants';

export interface NewAccount {
	email: string;
	name: string;
	password?: string;
}

export async function isSetupNeeded(): Promise<boolean> {
	const [row] = await db().select({ n: count() }).from(schema.users);
	return row.n === 0;
}

async function insertUser(input: NewAccount & { isAdmin?: boolean }) {
	const passwordHash = input.password ? await hashPassword(input.password) : null;
	const [user] = await db()
		.insert(schema.users)
		.values({ email: input.email, name: input.name, passwordHash, isAdmin: !!input.isAdmin })
		.onConflictDoNothing()
		.returning();
	if (!user) throw invalid({ email: m.error_email_taken() });
	await logActivity(db(), { actorId: user.id, action: 'user.signed_up' });
	return user;
}

/**
 * The one-time setup: create the instance admin, but only while no account exists. The
 * advisory lock makes two setups racing on a fresh instance end with one admin.
 */
export async function createFirstAdmin(
	input: Required<NewAccount> & { eventCreation?: EventCreation }
) {
	const passwordHash = await hashPassword(input.password);
	return db().transaction(async (tx) => {
		await tx.execute(sql`select pg_advisory_xact_lock(7263001)`);
		const [row] = await tx.select({ n: count() }).from(schema.users);
		if (row.n > 0) throw new DomainError('conflict', m.setup_already_done());
		const [user] = await tx
			.insert(schema.users)
			.values({ email: input.email, name: input.name, passwordHash, isAdmin: true })
			.returning();
		await tx
			.insert(schema.instanceSettings)
			.values({ id: 1, eventCreation: input.eventCreation ?? 'anyone' })
			.onConflictDoUpdate({
				target: schema.instanceSettings.id,
				set: { eventCreation: input.eventCreation ?? 'anyone' }
			});
		await logActivity(tx, { actorId: user.id, action: 'instance.setup' });
		return user;
	});
}

export async function signUp(input: Required<NewAccount>) {
	await requireLocalSignIn();
	return insertUser(input);
}

/**
 * The sign-up form: the answer never tells whether the address has an account. A new address
 * gets its account and a welcome with a sign-in link; an address with an account gets a note
 * (and a sign-in link) for its owner, and nothing changes. Either counts against the hourly cap
 * of mails to the address.
 */
export async function requestSignUp(input: Required<NewAccount>, origin: string): Promise<void> {
	await requireLocalSignIn();
	// Hashed either way, so both answers take the same time.
	const passwordHash = await hashPassword(input.password);
	const [created] = await db()
		.insert(schema.users)
		.values({ email: input.email, name: input.name, passwordHash })
		.onConflictDoNothing()
		.returning();
	if (created) await logActivity(db(), { actorId: created.id, action: 'user.signed_up' });
	const owner = created ?? (await findUserByEmail(input.email));
	const url = `${origin}/signin/link/${await createEmailToken('sign_in', input.email)}`;
	const sent = created
		? await sendCappedMail({
				to: input.email,
				subject: m.mail_sign_up_subject(),
				text: m.mail_sign_up_text({ name: created.name, url })
			})
		: await sendCappedMail({
				to: input.email,
				subject: m.mail_sign_up_exists_subject(),
				text: m.mail_sign_up_exists_text({ name: owner.name, url, reset: `${origin}/reset` })
			});
	if (!sent) throw invalid({ email: m.error_mail_cap() });
}

export async function findUserByEmail(email: string) {
	const [user] = await db().select().from(schema.users).where(eq(schema.users.email, email));
	return user;
}

export async function getUser(id: number) {
	const [user] = await db().select().from(schema.users).where(eq(schema.users.id, id));
	return user;
}

/** Check an e-mail and password; the same message whichever of the two is wrong. */
export async function authenticate(email: string, password: string) {
	await requireLocalSignIn();
	const user = await findUserByEmail(email);
	// Verify against a throwaway hash for unknown e-mails so timing does not reveal accounts.
	const ok = await verifyPassword(user?.passwordHash ?? DUMMY_HASH, password);
	if (!user || !user.passwordHash || !ok) throw invalid({ password: m.error_sign_in() });
	return user;
}
const DUMMY_HASH =
	'$argon2id$v=19$m=19456,t=2,p=1$iwwoTvcKpT/wJlh3Wk4ouQ$zYgj/kvE9ttbzwwN4Q+RJFygxgmKl+qGSBlELejSm5k';

/**
 * Mail a sign-in link. An unknown address gets a note saying there is no account, so the page
 * never tells a visitor which addresses have accounts. Either counts against the hourly cap of
 * mails to the address; past it the earlier link still works and the person is told so.
 */
/** Mail a sign-in link; `back` is the same-origin path it returns to once used. */
export async function requestSignInLink(email: string, origin: string, back = ''): Promise<void> {
	await requireLocalSignIn();
	const user = await findUserByEmail(email);
	const sent = user
		? await sendCappedMail(
				await mailTo(email, async () => ({
					subject: m.mail_sign_in_subject(),
					text: m.mail_sign_in_text({
						name: user.name,
						url: `${origin}/signin/link/${await createEmailToken('sign_in', email)}${
							back ? `?redirectTo=${encodeURIComponent(back)}` : ''
						}`
					})
				}))
			)
		: await mailNoAccount(email, origin);
	if (!sent) throw invalid({ email: m.error_mail_cap() });
}

const mailNoAccount = async (email: string, origin: string) =>
	sendCappedMail(
		await mailTo(email, () => ({
			subject: m.mail_no_account_subject(),
			text: m.mail_no_account_text({ url: `${origin}/signup` })
		}))
	);

export async function signInWithLink(token: string) {
	await requireLocalSignIn();
	const email = await consumeEmailToken('sign_in', token);
	const user = email ? await findUserByEmail(email) : undefined;
	if (!user) throw new DomainError('not_found', m.error_link_invalid());
	await logActivity(db(), { actorId: user.id, action: 'user.signed_in_by_link' });
	return user;
}

export async function requestPasswordReset(email: string, origin: string): Promise<void> {
	await requireLocalSignIn();
	const user = await findUserByEmail(email);
	const sent = user
		? await sendCappedMail(
				await mailTo(email, async () => ({
					subject: m.mail_reset_subject(),
					text: m.mail_reset_text({
						name: user.name,
						url: `${origin}/reset/${await createEmailToken('password_reset', email)}`
					})
				}))
			)
		: await mailNoAccount(email, origin);
	if (!sent) throw invalid({ email: m.error_mail_cap() });
}

/** Set a new password from a reset link; every existing session of the account ends. */
export async function resetPassword(token: string, password: string) {
	await requireLocalSignIn();
	const email = await consumeEmailToken('password_reset', token);
	const user = email ? await findUserByEmail(email) : undefined;
	if (!user) throw new DomainError('not_found', m.error_link_invalid());
	await db()
		.update(schema.users)
		.set({ passwordHash: await hashPassword(password) })
		.where(eq(schema.users.id, user.id));
	await invalidateUserSessions(user.id);
	await logActivity(db(), { actorId: user.id, action: 'user.password_reset' });
	return user;
}

export async function setUserLocale(userId: number, locale: string): Promise<void> {
	await db().update(schema.users).set({ locale }).where(eq(schema.users.id, userId));
	live().forget('users', userId);
}

/**
 * The account for an e-mail, created without a password when there is none (a ticket bought for
 * someone makes them an account they sign in to by link).
 */
export async function findOrCreateUser(email: string, name: string) {
	const [created] = await db()
		.insert(schema.users)
		.values({ email, name })
		.onConflictDoNothing()
		.returning();
	if (created) {
		await logActivity(db(), { actorId: created.id, action: 'user.created_for_ticket' });
		return { user: created, created: true };
	}
	return { user: (await findUserByEmail(email))!, created: false };
}
