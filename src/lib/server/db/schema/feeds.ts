import { index, integer, pgTable, primaryKey, text, timestamp } from 'drizzle-orm/pg-core';
import { events } from './events';
import { users } from './users';

/**
 * The published schedule's version per event: a fingerprint of what the feeds last served and
 * a counter raised whenever that fingerprint changes, so conference apps see a new version.
 */
export const scheduleVersions = pgTable('schedule_versions', {
	eventId: integer()
		.primaryKey()
		.references(() => events.id, { onDelete: 'cascade' }),
	fingerprint: text().notNull(),
	version: integer().notNull().default(1),
	changedAt: timestamp({ withTimezone: true }).notNull().defaultNow()
});

/**
 * Each entry the feeds have served (a talk's slot, a session) by its stable UID, with the
 * iCalendar SEQUENCE raised whenever its time, room or text changes.
 */
export const feedEntries = pgTable(
	'feed_entries',
	{
		eventId: integer()
			.notNull()
			.references(() => events.id, { onDelete: 'cascade' }),
		uid: text().notNull(),
		fingerprint: text().notNull(),
		sequence: integer().notNull().default(0)
	},
	(t) => [primaryKey({ columns: [t.eventId, t.uid] })]
);

/** A person's secret calendar address for their own agenda; only the token's hash is kept. */
export const calendarTokens = pgTable(
	'calendar_tokens',
	{
		id: integer().primaryKey().generatedAlwaysAsIdentity(),
		eventId: integer()
			.notNull()
			.references(() => events.id, { onDelete: 'cascade' }),
		userId: integer()
			.notNull()
			.references(() => users.id, { onDelete: 'cascade' }),
		tokenHash: text().notNull().unique(),
		createdAt: timestamp({ withTimezone: true }).notNull().defaultNow()
	},
	(t) => [index('calendar_tokens_person_idx').on(t.eventId, t.userId)]
);
