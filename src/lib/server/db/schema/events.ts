import {
	date,
	index,
	integer,
	pgTable,
	text,
	timestamp,
	unique,
	uniqueIndex
} from 'drizzle-orm/pg-core';
import { BLOCK_KINDS, EVENT_STATUSES } from '../../../constants';
import { users } from './users';

export { BLOCK_KINDS, EVENT_STATUSES };

export const events = pgTable(
	'events',
	{
		id: integer().primaryKey().generatedAlwaysAsIdentity(),
		slug: text().notNull(),
		name: text().notNull(),
		description: text().notNull().default(''),
		venue: text().notNull().default(''),
		address: text().notNull().default(''),
		timeZone: text().notNull(),
		startDate: date().notNull(),
		endDate: date().notNull(),
		capacity: integer().notNull(),
		status: text({ enum: EVENT_STATUSES }).notNull().default('draft'),
		createdBy: integer().references(() => users.id, { onDelete: 'set null' }),
		createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
		updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow()
	},
	(t) => [uniqueIndex('events_slug_key').on(t.slug)]
);

/** One row per calendar date of the event, kept in step with its start and end dates. */
export const days = pgTable(
	'days',
	{
		id: integer().primaryKey().generatedAlwaysAsIdentity(),
		eventId: integer()
			.notNull()
			.references(() => events.id, { onDelete: 'cascade' }),
		date: date().notNull(),
		title: text().notNull().default('')
	},
	(t) => [unique('days_event_date_key').on(t.eventId, t.date)]
);

export const rooms = pgTable(
	'rooms',
	{
		id: integer().primaryKey().generatedAlwaysAsIdentity(),
		eventId: integer()
			.notNull()
			.references(() => events.id, { onDelete: 'cascade' }),
		name: text().notNull(),
		capacity: integer().notNull(),
		accessibility: text().notNull().default('')
	},
	(t) => [index('rooms_event_idx').on(t.eventId)]
);

/** A time range on a day; instants are UTC, shown in the event's time zone. */
export const blocks = pgTable(
	'blocks',
	{
		id: integer().primaryKey().generatedAlwaysAsIdentity(),
		eventId: integer()
			.notNull()
			.references(() => events.id, { onDelete: 'cascade' }),
		dayId: integer()
			.notNull()
			.references(() => days.id, { onDelete: 'cascade' }),
		kind: text({ enum: BLOCK_KINDS }).notNull(),
		title: text().notNull(),
		startsAt: timestamp({ withTimezone: true }).notNull(),
		endsAt: timestamp({ withTimezone: true }).notNull(),
		roomId: integer().references(() => rooms.id, { onDelete: 'set null' })
	},
	(t) => [index('blocks_event_idx').on(t.eventId, t.startsAt)]
);
