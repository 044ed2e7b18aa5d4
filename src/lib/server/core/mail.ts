import { desc, eq } from 'drizzle-orm';
import nodemailer, { type Transporter } from 'nodemailer';
import { requireAdmin, type Actor } from '../auth/guards';
import { consume, LIMITS } from '../auth/rate-limit';
import { config } from './config';
import { db, schema } from '../db';
import { log } from './log';

export interface Message {
	to: string;
	subject: string;
	text: string;
}

let transport: Transporter | undefined;
function smtp(): Transporter | undefined {
	if (!config.smtpUrl) return undefined;
	transport ??= nodemailer.createTransport(config.smtpUrl);
	return transport;
}

/**
 * Keep every message in the outbox, then deliver it by SMTP when `SMTP_URL` is set. Without
 * SMTP the outbox (and the server log) is the delivery, so sign-in links work with no mail server.
 */
export async function sendMail(message: Message): Promise<number> {
	const [row] = await db()
		.insert(schema.outbox)
		.values(message)
		.returning({ id: schema.outbox.id });
	const transporter = smtp();
	if (!transporter) {
		// Without SMTP the log is how a developer reads the mail (and its links).
		log.info(
			{ to: message.to, subject: message.subject, text: message.text },
			'mail kept in the outbox'
		);
		return row.id;
	}
	try {
		await transporter.sendMail({ from: config.mailFrom, ...message });
		await db()
			.update(schema.outbox)
			.set({ sentAt: new Date() })
			.where(eq(schema.outbox.id, row.id));
	} catch (e) {
		const error = e instanceof Error ? e.message : String(e);
		log.error({ to: message.to, error }, 'mail delivery failed');
		await db().update(schema.outbox).set({ error }).where(eq(schema.outbox.id, row.id));
	}
	return row.id;
}

/**
 * Send a message that anyone could cause by typing an address (a sign-in link, an order to
 * confirm): at most `LIMITS.mailPerAddress` to one address an hour, counted in the database so
 * every app instance shares the count. Past it the message is held back and false returned; the
 * links already sent keep working, so the person loses nothing by not getting another.
 */
export async function sendCappedMail(message: Message): Promise<boolean> {
	if (!(await mayMail(message.to))) return false;
	await sendMail(message);
	return true;
}

/** Count one capped message to `to`; false when the hour's allowance is used up. */
export async function mayMail(to: string): Promise<boolean> {
	if (await consume(`mail:${to.toLowerCase()}`, LIMITS.mailPerAddress)) return true;
	if (!process.env.VITEST) console.info(`[mail] to ${to}: held back (hourly cap)`);
	return false;
}

export async function listOutbox(actor: Actor, limit = 100) {
	requireAdmin(actor);
	return db().select().from(schema.outbox).orderBy(desc(schema.outbox.id)).limit(limit);
}
