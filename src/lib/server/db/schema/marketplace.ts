import { index, integer, jsonb, pgTable, primaryKey, text, timestamp } from 'drizzle-orm/pg-core';
import {
	COMMENT_KINDS,
	MERGE_REQUEST_STATUSES,
	PROPOSAL_STATUSES,
	ROUND_PHASES,
	SESSION_FORMATS,
	SUGGESTION_STATUSES
} from '../../../constants';
import { events } from './events';
import { users } from './users';

/** A voting round of the marketplace: its phase, and the dots each attendee may place. */
export const rounds = pgTable(
	'rounds',
	{
		id: integer().primaryKey().generatedAlwaysAsIdentity(),
		eventId: integer()
			.notNull()
			.references(() => events.id, { onDelete: 'cascade' }),
		title: text().notNull(),
		phase: text({ enum: ROUND_PHASES }).notNull().default('preparing'),
		// When the current phase is due to close (shown as a countdown); null: when the facilitator says.
		phaseEndsAt: timestamp({ withTimezone: true }),
		dotBudget: integer().notNull().default(5),
		perProposalLimit: integer().notNull().default(2),
		createdAt: timestamp({ withTimezone: true }).notNull().defaultNow()
	},
	(t) => [index('rounds_event_idx').on(t.eventId)]
);

export interface ProposalContent {
	title: string;
	question: string;
	description: string;
	format: (typeof SESSION_FORMATS)[number];
	groupSize: number | null;
}

export const proposals = pgTable(
	'proposals',
	{
		id: integer().primaryKey().generatedAlwaysAsIdentity(),
		eventId: integer()
			.notNull()
			.references(() => events.id, { onDelete: 'cascade' }),
		roundId: integer()
			.notNull()
			.references(() => rounds.id, { onDelete: 'cascade' }),
		title: text().notNull(),
		question: text().notNull().default(''),
		description: text().notNull().default(''),
		format: text({ enum: SESSION_FORMATS }).notNull().default('discussion'),
		groupSize: integer(),
		// The session-round blocks that suit its conveners.
		blockIds: jsonb().$type<number[]>().notNull().default([]),
		status: text({ enum: PROPOSAL_STATUSES }).notNull().default('open'),
		mergedInto: integer(),
		// Bumped by every edit; an edit based on an older version is refused.
		version: integer().notNull().default(1),
		createdBy: integer().references(() => users.id, { onDelete: 'set null' }),
		createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
		updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow()
	},
	(t) => [index('proposals_round_idx').on(t.roundId, t.status)]
);

/** Every version of a proposal's text: who changed what, when. */
export const proposalVersions = pgTable(
	'proposal_versions',
	{
		proposalId: integer()
			.notNull()
			.references(() => proposals.id, { onDelete: 'cascade' }),
		version: integer().notNull(),
		content: jsonb().$type<ProposalContent>().notNull(),
		editedBy: integer().references(() => users.id, { onDelete: 'set null' }),
		editedAt: timestamp({ withTimezone: true }).notNull().defaultNow()
	},
	(t) => [primaryKey({ columns: [t.proposalId, t.version] })]
);

export const conveners = pgTable(
	'conveners',
	{
		proposalId: integer()
			.notNull()
			.references(() => proposals.id, { onDelete: 'cascade' }),
		userId: integer()
			.notNull()
			.references(() => users.id, { onDelete: 'cascade' }),
		joinedAt: timestamp({ withTimezone: true }).notNull().defaultNow()
	},
	(t) => [
		primaryKey({ columns: [t.proposalId, t.userId] }),
		index('conveners_user_idx').on(t.userId)
	]
);

/** Dots one attendee placed on one proposal; guarded by the round's per-proposal limit. */
export const dots = pgTable(
	'dots',
	{
		proposalId: integer()
			.notNull()
			.references(() => proposals.id, { onDelete: 'cascade' }),
		userId: integer()
			.notNull()
			.references(() => users.id, { onDelete: 'cascade' }),
		roundId: integer()
			.notNull()
			.references(() => rounds.id, { onDelete: 'cascade' }),
		count: integer().notNull().default(0)
	},
	(t) => [
		primaryKey({ columns: [t.proposalId, t.userId] }),
		index('dots_round_user_idx').on(t.roundId, t.userId)
	]
);

/** How many of their dots an attendee has placed in a round; guarded by the round's budget. */
export const dotBudgets = pgTable(
	'dot_budgets',
	{
		roundId: integer()
			.notNull()
			.references(() => rounds.id, { onDelete: 'cascade' }),
		userId: integer()
			.notNull()
			.references(() => users.id, { onDelete: 'cascade' }),
		used: integer().notNull().default(0)
	},
	(t) => [primaryKey({ columns: [t.roundId, t.userId] })]
);

export interface MovedDots {
	userId: number;
	/** The voter's dots on the merged-away proposal, and on the kept one before the merge. */
	fromSource: number;
	targetBefore: number;
	/** Dots over the per-proposal limit, given back to the voter's budget. */
	returned: number;
}

/** A merge of one proposal into another, kept so a facilitator can undo it. */
export const merges = pgTable(
	'merges',
	{
		id: integer().primaryKey().generatedAlwaysAsIdentity(),
		eventId: integer()
			.notNull()
			.references(() => events.id, { onDelete: 'cascade' }),
		sourceId: integer()
			.notNull()
			.references(() => proposals.id, { onDelete: 'cascade' }),
		targetId: integer()
			.notNull()
			.references(() => proposals.id, { onDelete: 'cascade' }),
		addedConveners: jsonb().$type<number[]>().notNull().default([]),
		moved: jsonb().$type<MovedDots[]>().notNull().default([]),
		// People whose "I'd come" mark the merge added to the kept proposal (undo takes them off).
		movedInterest: jsonb().$type<number[]>().notNull().default([]),
		mergedBy: integer().references(() => users.id, { onDelete: 'set null' }),
		createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
		undoneAt: timestamp({ withTimezone: true }),
		undoneBy: integer().references(() => users.id, { onDelete: 'set null' })
	},
	(t) => [index('merges_event_idx').on(t.eventId)]
);

/** A comment on a proposal, or a suggested change its conveners may take or leave. */
export const proposalComments = pgTable(
	'proposal_comments',
	{
		id: integer().primaryKey().generatedAlwaysAsIdentity(),
		eventId: integer()
			.notNull()
			.references(() => events.id, { onDelete: 'cascade' }),
		proposalId: integer()
			.notNull()
			.references(() => proposals.id, { onDelete: 'cascade' }),
		authorId: integer().references(() => users.id, { onDelete: 'set null' }),
		kind: text({ enum: COMMENT_KINDS }).notNull().default('comment'),
		body: text().notNull(),
		// A suggestion: the fields it would change, and what the conveners did with it.
		suggested:
			jsonb().$type<Partial<Pick<ProposalContent, 'title' | 'question' | 'description'>>>(),
		status: text({ enum: SUGGESTION_STATUSES }).notNull().default('open'),
		createdAt: timestamp({ withTimezone: true }).notNull().defaultNow()
	},
	(t) => [index('proposal_comments_proposal_idx').on(t.proposalId, t.createdAt)]
);

/** "I'd come": one mark per person per proposal. */
export const interest = pgTable(
	'interest',
	{
		proposalId: integer()
			.notNull()
			.references(() => proposals.id, { onDelete: 'cascade' }),
		userId: integer()
			.notNull()
			.references(() => users.id, { onDelete: 'cascade' }),
		createdAt: timestamp({ withTimezone: true }).notNull().defaultNow()
	},
	(t) => [
		primaryKey({ columns: [t.proposalId, t.userId] }),
		index('interest_user_idx').on(t.userId)
	]
);

/** A convener's suggestion to merge two proposals; a convener of the other one agrees or declines. */
export const mergeRequests = pgTable(
	'merge_requests',
	{
		id: integer().primaryKey().generatedAlwaysAsIdentity(),
		eventId: integer()
			.notNull()
			.references(() => events.id, { onDelete: 'cascade' }),
		sourceId: integer()
			.notNull()
			.references(() => proposals.id, { onDelete: 'cascade' }),
		targetId: integer()
			.notNull()
			.references(() => proposals.id, { onDelete: 'cascade' }),
		requestedBy: integer().references(() => users.id, { onDelete: 'set null' }),
		status: text({ enum: MERGE_REQUEST_STATUSES }).notNull().default('open'),
		decidedBy: integer().references(() => users.id, { onDelete: 'set null' }),
		createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
		decidedAt: timestamp({ withTimezone: true })
	},
	(t) => [
		index('merge_requests_event_idx').on(t.eventId),
		index('merge_requests_source_idx').on(t.sourceId),
		index('merge_requests_target_idx').on(t.targetId)
	]
);
