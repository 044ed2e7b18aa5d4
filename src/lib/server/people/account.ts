import { eq } from 'drizzle-orm';
import * as v from 'valibot';
import { m } from '$lib/paraglide/messages';
import { emailChangeSchema, profileSchema, type ProfileInput } from '$lib/schemas/account';
import { fieldErrors } from '$lib/schemas/form';
import { consumeEmailChange, createEmailToken } from '../auth/email-link';
import { requireUser, type Actor } from '../auth/guards';
import { logActivity } from '../core/activity';
import { invalid } from '../core/errors';
import { sendCappedMail, mailTo } from '../core/mail';
import { db, schema } from '../db';

// A person's own account: the name and language they change at /account, and a new e-mail
// address, which takes effect only once a link sent to it is used.

const u = schema.users;

export async function updateProfile(actor: Actor, input: ProfileInput): Promise<void> {
	requireUser(actor);
	const parsed = v.safeParse(profileSchema, input);
	if (!parsed.success) throw invalid(fieldErrors(parsed.issues));
	await db().transaction(async (tx) => {
		await tx
			.update(u)
			.set({ name: parsed.output.name, locale: parsed.output.locale })
			.where(eq(u.id, actor.id));
		await logActivity(tx, { actorId: actor.id, action: 'user.profile_changed' });
	});
}

/** Mail a confirmation link to the new address; the account keeps its old one until then. */
export async function requestEmailChange(
	actor: Actor,
	email: string,
	origin: string
): Promise<string> {
	requireUser(actor);
	const parsed = v.safeParse(emailChangeSchema, { email });
	if (!parsed.success) throw invalid(fieldErrors(parsed.issues));
	const address = parsed.output.email;
	const [taken] = await db().select({ id: u.id }).from(u).where(eq(u.email, address));
	if (taken) {
		throw invalid({
			email: taken.id === actor.id ? m.ac_email_same() : m.error_email_taken()
		});
	}
	const token = await createEmailToken('email_change', address, actor.id);
	const sent = await sendCappedMail(
		await mailTo(address, () => ({
			subject: m.ac_email_mail_subject(),
			text: m.ac_email_mail_text({ url: `${origin}/account/email/${token}` })
		}))
	);
	if (!sent) throw invalid({ email: m.error_mail_cap() });
	return address;
}

/** Use the link: the account now signs in with the new address. */
export async function confirmEmailChange(actor: Actor, token: string): Promise<string> {
	requireUser(actor);
	const change = await consumeEmailChange(token);
	if (!change || change.userId !== actor.id) {
		throw invalid({ _form: m.error_link_invalid() });
	}
	// Someone may have signed up with the address since the link was sent (the unique index
	// still refuses a sign-up racing this check).
	const [taken] = await db().select({ id: u.id }).from(u).where(eq(u.email, change.email));
	if (taken) throw invalid({ _form: m.error_email_taken() });
	await db().transaction(async (tx) => {
		await tx.update(u).set({ email: change.email }).where(eq(u.id, actor.id));
		await logActivity(tx, { actorId: actor.id, action: 'user.email_changed' });
	});
	return change.email;
}
