import { index, integer, jsonb, pgTable, text, timestamp } from 'drizzle-orm/pg-core';

/** A file sent with a message; `cid` marks an image shown inside the HTML. */
export interface MailAttachment {
	filename: string;
	contentType: string;
	/** Base64. */
	content: string;
	cid?: string;
}

// `kept`: no mail server is set up, so the outbox itself is the delivery.
export const MAIL_STATES = ['kept', 'queued', 'sent', 'failed'] as const;

/**
 * Every message the app sends; without SMTP this table is the only delivery. A message that
 * could not be delivered stays `queued` with the reason and its next try; the sweeper retries it
 * with growing gaps until it goes out or is given up as `failed`.
 */
export const outbox = pgTable(
	'outbox',
	{
		id: integer().primaryKey().generatedAlwaysAsIdentity(),
		to: text().notNull(),
		subject: text().notNull(),
		text: text().notNull(),
		html: text(),
		attachments: jsonb().$type<MailAttachment[]>().notNull().default([]),
		createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
		sentAt: timestamp({ withTimezone: true }),
		state: text({ enum: MAIL_STATES }).notNull().default('kept'),
		attempts: integer().notNull().default(0),
		nextAttemptAt: timestamp({ withTimezone: true }),
		error: text()
	},
	(t) => [index('outbox_to_idx').on(t.to), index('outbox_retry_idx').on(t.state, t.nextAttemptAt)]
);
