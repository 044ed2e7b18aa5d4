import { bigint, index, integer, jsonb, pgTable, text, timestamp } from 'drizzle-orm/pg-core';
import { events } from './events';
import { users } from './users';

/** Append-only audit trail; domain functions write it with dotted names (`event.created`). */
export const activity = pgTable(
	'activity',
	{
		id: bigint({ mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
		eventId: integer().references(() => events.id, { onDelete: 'cascade' }),
		actorId: integer().references(() => users.id, { onDelete: 'set null' }),
		action: text().notNull(),
		data: jsonb().$type<Record<string, unknown>>().notNull().default({}),
		createdAt: timestamp({ withTimezone: true }).notNull().defaultNow()
	},
	(t) => [index('activity_event_idx').on(t.eventId, t.id)]
);
