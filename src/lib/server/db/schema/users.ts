import {
	boolean,
	index,
	integer,
	pgTable,
	text,
	timestamp,
	uniqueIndex
} from 'drizzle-orm/pg-core';

export const users = pgTable(
	'users',
	{
		id: integer().primaryKey().generatedAlwaysAsIdentity(),
		// Stored lower-cased; the unique index is what stops two sign-ups racing.
		email: text().notNull(),
		name: text().notNull(),
		passwordHash: text(),
		isAdmin: boolean().notNull().default(false),
		// Named by the admin as someone who may start events, when only named people may.
		createsEvents: boolean().notNull().default(false),
		locale: text(),
		createdAt: timestamp({ withTimezone: true }).notNull().defaultNow()
	},
	(t) => [uniqueIndex('users_email_key').on(t.email)]
);

export const sessions = pgTable(
	'sessions',
	{
		id: text().primaryKey(),
		// SHA-256 of the secret half of the token; the token itself is never stored.
		secretHash: text().notNull(),
		userId: integer()
			.notNull()
			.references(() => users.id, { onDelete: 'cascade' }),
		expiresAt: timestamp({ withTimezone: true }).notNull(),
		createdAt: timestamp({ withTimezone: true }).notNull().defaultNow()
	},
	(t) => [index('sessions_user_idx').on(t.userId)]
);

/** Single-use links sent by mail: sign-in and password reset. */
export const emailTokens = pgTable('email_tokens', {
	tokenHash: text().primaryKey(),
	purpose: text({ enum: ['sign_in', 'password_reset', 'email_change'] }).notNull(),
	email: text().notNull(),
	// For a change of address: whose account takes `email` once the link is used.
	userId: integer().references(() => users.id, { onDelete: 'cascade' }),
	expiresAt: timestamp({ withTimezone: true }).notNull(),
	usedAt: timestamp({ withTimezone: true }),
	createdAt: timestamp({ withTimezone: true }).notNull().defaultNow()
});

/** Fixed-window counters, kept in the database so every app instance shares them. */
export const rateLimits = pgTable('rate_limits', {
	key: text().primaryKey(),
	windowStart: timestamp({ withTimezone: true }).notNull(),
	count: integer().notNull()
});
