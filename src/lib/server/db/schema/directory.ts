import { index, integer, pgTable, primaryKey, text, timestamp } from 'drizzle-orm/pg-core';
import { events } from './events';
import { users } from './users';

/** The attendee directory: only people who opted in, with what they chose to say. */
export const directoryEntries = pgTable(
	'directory_entries',
	{
		eventId: integer()
			.notNull()
			.references(() => events.id, { onDelete: 'cascade' }),
		userId: integer()
			.notNull()
			.references(() => users.id, { onDelete: 'cascade' }),
		organisation: text().notNull().default(''),
		offers: text().notNull().default(''),
		seeks: text().notNull().default(''),
		contact: text().notNull().default(''),
		createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
		updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow()
	},
	(t) => [
		primaryKey({ columns: [t.eventId, t.userId] }),
		index('directory_entries_user_idx').on(t.userId)
	]
);
