import { index, integer, jsonb, pgTable, primaryKey, text, timestamp } from 'drizzle-orm/pg-core';
import { TALK_STATUSES, TALK_TICKET_RULES } from '../../../constants';
import { blocks, days, events } from './events';
import { users } from './users';

/** An event's call for lightning talks: when it is open and what it asks. */
export const talkCalls = pgTable('talk_calls', {
	eventId: integer()
		.primaryKey()
		.references(() => events.id, { onDelete: 'cascade' }),
	opensAt: timestamp({ withTimezone: true }).notNull(),
	closesAt: timestamp({ withTimezone: true }).notNull(),
	talkMinutes: integer().notNull().default(5),
	perDay: integer().notNull().default(8),
	summaryMax: integer().notNull().default(600),
	ticketRule: text({ enum: TALK_TICKET_RULES }).notNull().default('present'),
	// The organiser's own questions, asked after the built-in ones.
	questions: jsonb().$type<string[]>().notNull().default([]),
	// Decision e-mails; {title}, {event} and {name} are filled in when sent.
	acceptedTemplate: text().notNull(),
	reserveTemplate: text().notNull(),
	declinedTemplate: text().notNull(),
	updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow()
});

export const talks = pgTable(
	'talks',
	{
		id: integer().primaryKey().generatedAlwaysAsIdentity(),
		eventId: integer()
			.notNull()
			.references(() => events.id, { onDelete: 'cascade' }),
		submitterId: integer()
			.notNull()
			.references(() => users.id, { onDelete: 'cascade' }),
		status: text({ enum: TALK_STATUSES }).notNull().default('draft'),
		title: text().notNull().default(''),
		summary: text().notNull().default(''),
		// As the presenters want to appear on the public programme.
		presenters: text().notNull().default(''),
		links: text().notNull().default(''),
		preferredDayId: integer().references(() => days.id, { onDelete: 'set null' }),
		accessNeeds: text().notNull().default(''),
		answers: jsonb().$type<string[]>().notNull().default([]),
		// The decision last e-mailed; a talk whose status differs has a decision pending.
		notifiedStatus: text({ enum: TALK_STATUSES }),
		// Place in the running order: a lightning-talk block and a position inside it.
		blockId: integer().references(() => blocks.id, { onDelete: 'set null' }),
		position: integer().notNull().default(0),
		ticketReminderAt: timestamp({ withTimezone: true }),
		submittedAt: timestamp({ withTimezone: true }),
		createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
		updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow()
	},
	(t) => [
		index('talks_event_idx').on(t.eventId, t.status),
		index('talks_submitter_idx').on(t.submitterId),
		index('talks_block_idx').on(t.blockId, t.position)
	]
);

/** Co-presenters invited by e-mail; they may edit the talk once they confirm by link. */
export const talkPresenters = pgTable(
	'talk_presenters',
	{
		id: integer().primaryKey().generatedAlwaysAsIdentity(),
		talkId: integer()
			.notNull()
			.references(() => talks.id, { onDelete: 'cascade' }),
		email: text().notNull(),
		tokenHash: text().notNull().unique(),
		userId: integer().references(() => users.id, { onDelete: 'cascade' }),
		confirmedAt: timestamp({ withTimezone: true }),
		createdAt: timestamp({ withTimezone: true }).notNull().defaultNow()
	},
	(t) => [
		index('talk_presenters_talk_idx').on(t.talkId),
		index('talk_presenters_user_idx').on(t.userId)
	]
);

/** A reviewer's private score and note; never shown to presenters or the public. */
export const talkReviews = pgTable(
	'talk_reviews',
	{
		talkId: integer()
			.notNull()
			.references(() => talks.id, { onDelete: 'cascade' }),
		reviewerId: integer()
			.notNull()
			.references(() => users.id, { onDelete: 'cascade' }),
		score: integer(),
		note: text().notNull().default(''),
		updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow()
	},
	(t) => [primaryKey({ columns: [t.talkId, t.reviewerId] })]
);

/** What is on stage now: the talk, and its clock (running since startedAt, or paused). */
export const stage = pgTable('stage', {
	eventId: integer()
		.primaryKey()
		.references(() => events.id, { onDelete: 'cascade' }),
	talkId: integer().references(() => talks.id, { onDelete: 'set null' }),
	startedAt: timestamp({ withTimezone: true }),
	// Time already used before the last pause.
	elapsedMs: integer().notNull().default(0),
	updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow()
});
