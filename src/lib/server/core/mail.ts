import { and, asc, desc, eq, inArray, lte, sql } from 'drizzle-orm';
import nodemailer, { type Transporter } from 'nodemailer';
import { requireAdmin, type Actor } from '../auth/guards';
import { consume, LIMITS } from '../auth/rate-limit';
import { config } from './config';
import { notFound } from './errors';
import { db, schema } from '../db';
import type { MailAttachment } from '../db/schema/mail';
import { log } from './log';
import { mailHtml } from './mail-html';
import { inLocale } from './mail-locale';

export interface Message {
	to: string;
	subject: string;
	text: string;
	/** The HTML part; made from the text when not given. */
	html?: string;
	attachments?: MailAttachment[];
}

/** Tries before a message is given up as failed, and the gap before each retry. */
export const MAIL_RETRY_GAPS_MS = [60_000, 5 * 60_000, 30 * 60_000, 2 * 3600_000, 12 * 3600_000];

let transport: Transporter | undefined;
let transportUrl: string | undefined;
function smtp(): Transporter | undefined {
	const url = config.smtpUrl;
	if (!url) return undefined;
	if (!transport || transportUrl !== url) {
		transport = nodemailer.createTransport(url);
		transportUrl = url;
	}
	return transport;
}

type Row = typeof schema.outbox.$inferSelect;

/** One try at handing a message to the SMTP server; records the outcome on its outbox row. */
async function deliver(transporter: Transporter, row: Row): Promise<boolean> {
	const attempts = row.attempts + 1;
	try {
		await transporter.sendMail({
			from: config.mailFrom,
			to: row.to,
			subject: row.subject,
			text: row.text,
			html: row.html ?? undefined,
			attachments: row.attachments.map((a) => ({
				filename: a.filename,
				contentType: a.contentType,
				content: Buffer.from(a.content, 'base64'),
				cid: a.cid
			}))
		});
		await db()
			.update(schema.outbox)
			.set({ state: 'sent', sentAt: new Date(), attempts, nextAttemptAt: null })
			.where(eq(schema.outbox.id, row.id));
		return true;
	} catch (e) {
		const error = e instanceof Error ? e.message : String(e);
		const gap = MAIL_RETRY_GAPS_MS[attempts - 1];
		log.error({ to: row.to, error, attempts }, 'mail delivery failed');
		await db()
			.update(schema.outbox)
			.set({
				state: gap === undefined ? 'failed' : 'queued',
				attempts,
				error,
				nextAttemptAt: gap === undefined ? null : new Date(Date.now() + gap)
			})
			.where(eq(schema.outbox.id, row.id));
		return false;
	}
}

/**
 * Keep every message in the outbox, then deliver it by SMTP when `SMTP_URL` is set. Without
 * SMTP the outbox (and the server log) is the delivery, so sign-in links work with no mail server.
 * A delivery that fails stays queued for the sweeper's retries (`retryMail`).
 */
export async function sendMail(message: Message): Promise<number> {
	const transporter = smtp();
	const [row] = await db()
		.insert(schema.outbox)
		.values({
			to: message.to,
			subject: message.subject,
			text: message.text,
			html: message.html ?? mailHtml(message.subject, message.text),
			attachments: message.attachments ?? [],
			state: transporter ? 'queued' : 'kept'
		})
		.returning();
	if (!transporter) {
		// Without SMTP the log is how a developer reads the mail (and its links).
		log.info(
			{ to: message.to, subject: message.subject, text: message.text },
			'mail kept in the outbox'
		);
		return row.id;
	}
	await deliver(transporter, row);
	return row.id;
}

/**
 * Try again the messages whose next try is due. Each is claimed by moving its next try a lease
 * ahead with one UPDATE on rows locked with SKIP LOCKED, so instances sweeping at once never
 * send one message twice. Returns how many went out.
 */
export async function retryMail(now = new Date()): Promise<number> {
	const transporter = smtp();
	if (!transporter) return 0;
	const o = schema.outbox;
	const lease = new Date(now.getTime() + 10 * 60_000);
	const due = db()
		.select({ id: o.id })
		.from(o)
		.where(and(eq(o.state, 'queued'), lte(o.nextAttemptAt, now)))
		.orderBy(asc(o.nextAttemptAt))
		.limit(50)
		.for('update', { skipLocked: true });
	const claimed = await db()
		.update(o)
		.set({ nextAttemptAt: lease })
		.where(and(inArray(o.id, due), eq(o.state, 'queued')))
		.returning();
	let sent = 0;
	for (const row of claimed) if (await deliver(transporter, row)) sent++;
	return sent;
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

/** One message as it went out, for the admin to read; its HTML and attachments included. */
export async function outboxMessage(actor: Actor, id: number) {
	requireAdmin(actor);
	const [row] = await db().select().from(schema.outbox).where(eq(schema.outbox.id, id));
	if (!row) throw notFound();
	return row;
}

/** The `index`th attachment of a message, as bytes. */
export async function outboxAttachment(actor: Actor, id: number, index: number) {
	const message = await outboxMessage(actor, id);
	const file = message.attachments[index];
	if (!file) throw notFound();
	return { ...file, bytes: Buffer.from(file.content, 'base64') };
}

/** The language a person chose for their account, for mail to their address. */
export async function localeOf(email: string): Promise<string | null> {
	const [row] = await db()
		.select({ locale: schema.users.locale })
		.from(schema.users)
		.where(sql`lower(${schema.users.email}) = ${email.toLowerCase()}`);
	return row?.locale ?? null;
}

/**
 * A message to `to`, written in the language they chose for their account (or the current one
 * when they have no account or chose none): `compose` runs with that language in force.
 */
export async function mailTo(
	to: string,
	compose: () => Omit<Message, 'to'> | Promise<Omit<Message, 'to'>>
): Promise<Message> {
	const locale = await localeOf(to);
	return { to, ...(await inLocale(locale, compose)) };
}
