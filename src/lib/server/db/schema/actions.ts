import { pgTable, primaryKey, text, timestamp, integer, uuid, index } from 'drizzle-orm/pg-core';
import { users } from './users';

/**
 * Actions sent with an id made on the person's phone (`core/once.ts`): the first delivery's
 * answer, so a repeated delivery of the same action changes nothing and gets that answer again.
 */
export const appliedActions = pgTable(
	'applied_actions',
	{
		userId: integer()
			.notNull()
			.references(() => users.id, { onDelete: 'cascade' }),
		actionId: uuid().notNull(),
		/** The answer as the form action gave it (devalue), or null while it is being applied. */
		answer: text(),
		createdAt: timestamp({ withTimezone: true }).notNull().defaultNow()
	},
	(t) => [
		primaryKey({ columns: [t.userId, t.actionId] }),
		index('applied_actions_created_idx').on(t.createdAt)
	]
);
