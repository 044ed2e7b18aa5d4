import { index, integer, pgTable, text, timestamp } from 'drizzle-orm/pg-core';
import { events } from './events';
import { users } from './users';

/**
 * A person an import brought in as an "imported participant": the event it came into, the
 * name the file gave, and once the real person accepted a claim, who they are. Claiming moves
 * the placeholder's rows to that account and deletes the placeholder account (`userId` null).
 */
export const placeholders = pgTable(
	'placeholders',
	{
		id: integer().primaryKey().generatedAlwaysAsIdentity(),
		eventId: integer()
			.notNull()
			.references(() => events.id, { onDelete: 'cascade' }),
		userId: integer()
			.unique()
			.references(() => users.id, { onDelete: 'set null' }),
		name: text().notNull(),
		claimedBy: integer().references(() => users.id, { onDelete: 'set null' }),
		claimedAt: timestamp({ withTimezone: true })
	},
	(t) => [index('placeholders_event_idx').on(t.eventId)]
);

/** A mailed link by which someone may claim a placeholder's contributions: single use, expires. */
export const placeholderClaims = pgTable(
	'placeholder_claims',
	{
		id: integer().primaryKey().generatedAlwaysAsIdentity(),
		eventId: integer()
			.notNull()
			.references(() => events.id, { onDelete: 'cascade' }),
		placeholderId: integer()
			.notNull()
			.references(() => placeholders.id, { onDelete: 'cascade' }),
		email: text().notNull(),
		// SHA-256 of the link's secret; the secret itself is only in the mail.
		tokenHash: text().notNull().unique(),
		invitedBy: integer().references(() => users.id, { onDelete: 'set null' }),
		expiresAt: timestamp({ withTimezone: true }).notNull(),
		usedAt: timestamp({ withTimezone: true }),
		usedBy: integer().references(() => users.id, { onDelete: 'set null' }),
		createdAt: timestamp({ withTimezone: true }).notNull().defaultNow()
	},
	(t) => [index('placeholder_claims_placeholder_idx').on(t.placeholderId)]
);
