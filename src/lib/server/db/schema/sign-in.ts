import { boolean, index, integer, pgTable, primaryKey, text, timestamp } from 'drizzle-orm/pg-core';
import { EVENT_CREATION } from '../../../constants';
import { users } from './users';

/**
 * Accounts at the co-op's identity provider (OpenID Connect) tied to ours. The pair
 * issuer + subject is what the provider promises never changes; the e-mail only links the first
 * time, and only when the provider says it is verified.
 */
export const providerIdentities = pgTable(
	'provider_identities',
	{
		issuer: text().notNull(),
		subject: text().notNull(),
		userId: integer()
			.notNull()
			.references(() => users.id, { onDelete: 'cascade' }),
		createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
		lastSignInAt: timestamp({ withTimezone: true }).notNull().defaultNow()
	},
	(t) => [
		primaryKey({ columns: [t.issuer, t.subject] }),
		index('provider_identities_user_idx').on(t.userId)
	]
);

/** Instance-wide settings an admin changes at /admin: one row, id 1. */
export const instanceSettings = pgTable('instance_settings', {
	id: integer().primaryKey().default(1),
	// Only the identity provider signs people in (ignored while no provider is configured).
	providerOnly: boolean().notNull().default(false),
	// Who may start (or import) events: anyone signed in, or only the people the admin names.
	eventCreation: text({ enum: EVENT_CREATION }).notNull().default('anyone'),
	updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow()
});
