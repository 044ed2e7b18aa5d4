import {
	boolean,
	index,
	integer,
	pgTable,
	primaryKey,
	timestamp,
	uniqueIndex
} from 'drizzle-orm/pg-core';
import { blocks, events, rooms } from './events';
import { proposals, rounds } from './marketplace';
import { users } from './users';

// The agenda a round's votes become: the blocks it fills, its sessions, and who comes to them.

/** The session-round blocks a round's agenda fills, and whether that agenda is published. */
export const roundBlocks = pgTable(
	'round_blocks',
	{
		roundId: integer()
			.notNull()
			.references(() => rounds.id, { onDelete: 'cascade' }),
		blockId: integer()
			.notNull()
			.references(() => blocks.id, { onDelete: 'cascade' })
	},
	(t) => [primaryKey({ columns: [t.roundId, t.blockId] })]
);

/** One session of an agenda: a proposal in a room during a block. */
export const agendaSessions = pgTable(
	'agenda_sessions',
	{
		id: integer().primaryKey().generatedAlwaysAsIdentity(),
		eventId: integer()
			.notNull()
			.references(() => events.id, { onDelete: 'cascade' }),
		roundId: integer()
			.notNull()
			.references(() => rounds.id, { onDelete: 'cascade' }),
		proposalId: integer()
			.notNull()
			.references(() => proposals.id, { onDelete: 'cascade' }),
		blockId: integer()
			.notNull()
			.references(() => blocks.id, { onDelete: 'cascade' }),
		roomId: integer()
			.notNull()
			.references(() => rooms.id, { onDelete: 'cascade' }),
		// Kept where it is when the agenda is generated again.
		pinned: boolean().notNull().default(false),
		// People expected, from dots and "I'd come" when generated; "I'll be there" adds to it live.
		expected: integer().notNull().default(0)
	},
	(t) => [
		uniqueIndex('agenda_sessions_proposal_uq').on(t.proposalId),
		// One session per room and block: agenda.ts checks it under the round's row lock (a unique
		// index would refuse the middle step of a swap).
		index('agenda_sessions_slot_idx').on(t.blockId, t.roomId),
		index('agenda_sessions_round_idx').on(t.roundId)
	]
);

/** "I'll be there": a person's own agenda. */
export const sessionAttendance = pgTable(
	'session_attendance',
	{
		sessionId: integer()
			.notNull()
			.references(() => agendaSessions.id, { onDelete: 'cascade' }),
		userId: integer()
			.notNull()
			.references(() => users.id, { onDelete: 'cascade' })
	},
	(t) => [
		primaryKey({ columns: [t.sessionId, t.userId] }),
		index('session_attendance_user_idx').on(t.userId)
	]
);

/** Law of two feet: the session a person is in right now, at most one per block. */
export const sessionPresence = pgTable(
	'session_presence',
	{
		blockId: integer()
			.notNull()
			.references(() => blocks.id, { onDelete: 'cascade' }),
		userId: integer()
			.notNull()
			.references(() => users.id, { onDelete: 'cascade' }),
		sessionId: integer()
			.notNull()
			.references(() => agendaSessions.id, { onDelete: 'cascade' }),
		since: timestamp({ withTimezone: true }).notNull().defaultNow()
	},
	(t) => [
		primaryKey({ columns: [t.blockId, t.userId] }),
		index('session_presence_session_idx').on(t.sessionId)
	]
);
