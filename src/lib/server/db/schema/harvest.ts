import {
	date,
	index,
	integer,
	jsonb,
	pgTable,
	primaryKey,
	text,
	timestamp,
	uniqueIndex
} from 'drizzle-orm/pg-core';
import { HARVEST_ITEM_KINDS, REPORT_LICENCES } from '../../../constants';
import { events } from './events';
import { agendaSessions } from './agenda';
import { users } from './users';

/** What an organiser approved for the report: the harvest's texts and list items as reviewed. */
export interface ReviewedHarvest {
	question: string;
	notes: string;
	participants: number | null;
	items: {
		kind: (typeof HARVEST_ITEM_KINDS)[number];
		text: string;
		owner: string | null;
		dueOn: string | null;
		url: string | null;
	}[];
}

/**
 * The harvest note of one agenda session. Each single-text part carries its own version, so
 * two note-takers saving different parts never collide and a save based on an old version of
 * the same part is refused.
 */
export const harvests = pgTable(
	'harvests',
	{
		id: integer().primaryKey().generatedAlwaysAsIdentity(),
		eventId: integer()
			.notNull()
			.references(() => events.id, { onDelete: 'cascade' }),
		sessionId: integer()
			.notNull()
			.references(() => agendaSessions.id, { onDelete: 'cascade' }),
		question: text().notNull().default(''),
		questionVersion: integer().notNull().default(0),
		notes: text().notNull().default(''),
		notesVersion: integer().notNull().default(0),
		participants: integer(),
		participantsVersion: integer().notNull().default(0),
		// The organiser's review: complete (ready for the report), or hidden from everything published.
		completedAt: timestamp({ withTimezone: true }),
		completedBy: integer().references(() => users.id, { onDelete: 'set null' }),
		// The content as approved: the report shows this until an organiser approves later edits.
		reviewed: jsonb().$type<ReviewedHarvest>(),
		hiddenAt: timestamp({ withTimezone: true }),
		hiddenBy: integer().references(() => users.id, { onDelete: 'set null' }),
		createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
		updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow()
	},
	(t) => [
		uniqueIndex('harvests_session_uq').on(t.sessionId),
		index('harvests_event_idx').on(t.eventId)
	]
);

/** One entry of a harvest's lists: a key insight, an action, an open question or a resource. */
export const harvestItems = pgTable(
	'harvest_items',
	{
		id: integer().primaryKey().generatedAlwaysAsIdentity(),
		eventId: integer()
			.notNull()
			.references(() => events.id, { onDelete: 'cascade' }),
		harvestId: integer()
			.notNull()
			.references(() => harvests.id, { onDelete: 'cascade' }),
		kind: text({ enum: HARVEST_ITEM_KINDS }).notNull(),
		// The insight, action or question; a resource's title.
		text: text().notNull().default(''),
		// Actions: who takes it on (a name as typed, not necessarily an attendee) and by when.
		owner: text(),
		dueOn: date(),
		// Resources: an http(s) link.
		url: text(),
		version: integer().notNull().default(1),
		createdBy: integer().references(() => users.id, { onDelete: 'set null' }),
		createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
		updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
		// Removed items stay (out of sight) so a late edit of one is told, not lost.
		removedAt: timestamp({ withTimezone: true }),
		removedBy: integer().references(() => users.id, { onDelete: 'set null' })
	},
	(t) => [index('harvest_items_harvest_idx').on(t.harvestId, t.kind, t.createdAt)]
);

/** Who changed what in a harvest, change by change: a person's contributions, for their export. */
export const harvestChanges = pgTable(
	'harvest_changes',
	{
		id: integer().primaryKey().generatedAlwaysAsIdentity(),
		eventId: integer()
			.notNull()
			.references(() => events.id, { onDelete: 'cascade' }),
		harvestId: integer()
			.notNull()
			.references(() => harvests.id, { onDelete: 'cascade' }),
		// A single-text part ('question', 'notes', 'participants') or an item kind.
		field: text().notNull(),
		itemId: integer().references(() => harvestItems.id, { onDelete: 'cascade' }),
		// 'saved', 'added', 'edited' or 'removed'.
		change: text().notNull(),
		version: integer().notNull(),
		value: jsonb().$type<unknown>(),
		userId: integer().references(() => users.id, { onDelete: 'set null' }),
		createdAt: timestamp({ withTimezone: true }).notNull().defaultNow()
	},
	(t) => [
		index('harvest_changes_harvest_idx').on(t.harvestId),
		index('harvest_changes_user_idx').on(t.userId)
	]
);

/** Ticket holders a facilitator asked to take the notes of a session. */
export const harvestNoteTakers = pgTable(
	'harvest_note_takers',
	{
		harvestId: integer()
			.notNull()
			.references(() => harvests.id, { onDelete: 'cascade' }),
		userId: integer()
			.notNull()
			.references(() => users.id, { onDelete: 'cascade' }),
		assignedBy: integer().references(() => users.id, { onDelete: 'set null' }),
		assignedAt: timestamp({ withTimezone: true }).notNull().defaultNow()
	},
	(t) => [
		primaryKey({ columns: [t.harvestId, t.userId] }),
		index('harvest_note_takers_user_idx').on(t.userId)
	]
);

/**
 * "Who wants to continue": people who added themselves, with the contact they chose to share.
 * Only others on the list and facilitators see it.
 */
export const harvestContinuers = pgTable(
	'harvest_continuers',
	{
		harvestId: integer()
			.notNull()
			.references(() => harvests.id, { onDelete: 'cascade' }),
		userId: integer()
			.notNull()
			.references(() => users.id, { onDelete: 'cascade' }),
		contact: text().notNull().default(''),
		joinedAt: timestamp({ withTimezone: true }).notNull().defaultNow()
	},
	(t) => [
		primaryKey({ columns: [t.harvestId, t.userId] }),
		index('harvest_continuers_user_idx').on(t.userId)
	]
);

/** The event report: the licence its published harvests carry, and whether it is out. */
export const eventReports = pgTable('event_reports', {
	eventId: integer()
		.primaryKey()
		.references(() => events.id, { onDelete: 'cascade' }),
	licence: text({ enum: REPORT_LICENCES }).notNull().default('CC-BY-SA-4.0'),
	publishedAt: timestamp({ withTimezone: true }),
	publishedBy: integer().references(() => users.id, { onDelete: 'set null' }),
	updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow()
});
