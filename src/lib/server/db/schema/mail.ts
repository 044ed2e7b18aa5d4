import { index, integer, pgTable, text, timestamp } from 'drizzle-orm/pg-core';

/** Every message the app sends; without SMTP this table is the only delivery. */
export const outbox = pgTable(
	'outbox',
	{
		id: integer().primaryKey().generatedAlwaysAsIdentity(),
		to: text().notNull(),
		subject: text().notNull(),
		text: text().notNull(),
		createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
		sentAt: timestamp({ withTimezone: true }),
		error: text()
	},
	(t) => [index('outbox_to_idx').on(t.to)]
);
