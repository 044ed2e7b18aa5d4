import { bigint, index, integer, jsonb, pgTable, text, timestamp } from 'drizzle-orm/pg-core';
import { events } from './events';

/**
 * What changed on an event's live screens, in order. Kept for a while so a screen that
 * reconnects with `Last-Event-ID` catches up with what it missed.
 */
export const liveEvents = pgTable(
	'live_events',
	{
		id: bigint({ mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
		eventId: integer()
			.notNull()
			.references(() => events.id, { onDelete: 'cascade' }),
		topic: text().notNull(),
		data: jsonb().$type<unknown>().notNull(),
		createdAt: timestamp({ withTimezone: true }).notNull().defaultNow()
	},
	(t) => [index('live_events_event_idx').on(t.eventId, t.id)]
);
