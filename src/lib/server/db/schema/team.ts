import { index, integer, pgTable, primaryKey, text, timestamp } from 'drizzle-orm/pg-core';
import { events } from './events';
import { EVENT_ROLES } from '../../../constants';
import { users } from './users';

export { EVENT_ROLES };

export const eventRoles = pgTable(
	'event_roles',
	{
		eventId: integer()
			.notNull()
			.references(() => events.id, { onDelete: 'cascade' }),
		userId: integer()
			.notNull()
			.references(() => users.id, { onDelete: 'cascade' }),
		role: text({ enum: EVENT_ROLES }).notNull(),
		createdAt: timestamp({ withTimezone: true }).notNull().defaultNow()
	},
	(t) => [primaryKey({ columns: [t.eventId, t.userId, t.role] })]
);

export const invites = pgTable(
	'invites',
	{
		id: integer().primaryKey().generatedAlwaysAsIdentity(),
		eventId: integer()
			.notNull()
			.references(() => events.id, { onDelete: 'cascade' }),
		email: text().notNull(),
		role: text({ enum: EVENT_ROLES }).notNull(),
		tokenHash: text().notNull().unique(),
		invitedBy: integer().references(() => users.id, { onDelete: 'set null' }),
		expiresAt: timestamp({ withTimezone: true }).notNull(),
		acceptedAt: timestamp({ withTimezone: true }),
		acceptedBy: integer().references(() => users.id, { onDelete: 'set null' }),
		revokedAt: timestamp({ withTimezone: true }),
		createdAt: timestamp({ withTimezone: true }).notNull().defaultNow()
	},
	(t) => [index('invites_event_idx').on(t.eventId)]
);
