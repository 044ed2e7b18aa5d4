// Enumerations shared by the database schema, the form schemas and the UI.
export const EVENT_STATUSES = ['draft', 'published', 'archived'] as const;
export type EventStatus = (typeof EVENT_STATUSES)[number];

export const BLOCK_KINDS = [
	'plenary',
	'lightning_talks',
	'marketplace',
	'session_round',
	'break',
	'social'
] as const;
export type BlockKind = (typeof BLOCK_KINDS)[number];

export const EVENT_ROLES = ['organiser', 'facilitator', 'reviewer'] as const;
export type EventRole = (typeof EVENT_ROLES)[number];

export const PRICINGS = ['fixed', 'pay_what_you_can', 'free'] as const;
export type Pricing = (typeof PRICINGS)[number];

export const REFUND_POLICIES = ['full', 'none'] as const;
export type RefundPolicy = (typeof REFUND_POLICIES)[number];

// held: a seat is kept while the buyer pays. paid: a ticket exists. expired/cancelled: the seat
// went back. refund_pending/refunded: money came in for a seat that could not be kept or was given up
// (or was refunded from the Stripe dashboard). disputed: the buyer's bank opened a dispute.
export const ORDER_STATUSES = [
	'held',
	'paid',
	'expired',
	'cancelled',
	'refund_pending',
	'refunded',
	'disputed'
] as const;
export type OrderStatus = (typeof ORDER_STATUSES)[number];

// waiting → offered (a seat is held for them) → claimed; an unanswered offer expires.
export const WAITING_STATUSES = [
	'waiting',
	'offered',
	'claimed',
	'expired',
	'left',
	'closed'
] as const;
export type WaitingStatus = (typeof WAITING_STATUSES)[number];

// draft → submitted → accepted | reserve | declined; reserve → accepted (promoted); any → withdrawn.
export const TALK_STATUSES = [
	'draft',
	'submitted',
	'accepted',
	'reserve',
	'declined',
	'withdrawn'
] as const;
export type TalkStatus = (typeof TALK_STATUSES)[number];
export const TALK_DECISIONS = ['accepted', 'reserve', 'declined'] as const;
export type TalkDecision = (typeof TALK_DECISIONS)[number];

// Whether a ticket is needed to send a talk in, or only to present it on the day.
export const TALK_TICKET_RULES = ['submit', 'present'] as const;
export type TalkTicketRule = (typeof TALK_TICKET_RULES)[number];

// A voting round of the marketplace moves through these phases, each opened by a facilitator;
// a new round waits in `preparing` (not open yet) until its turn comes.
export const ROUND_PHASES = [
	'preparing',
	'proposing',
	'refining',
	'voting',
	'closed',
	'scheduled'
] as const;
export type RoundPhase = (typeof ROUND_PHASES)[number];

export const SESSION_FORMATS = [
	'discussion',
	'workshop',
	'skill_share',
	'demo',
	'fishbowl',
	'other'
] as const;
export type SessionFormat = (typeof SESSION_FORMATS)[number];

export const PROPOSAL_STATUSES = ['open', 'merged', 'withdrawn'] as const;
export type ProposalStatus = (typeof PROPOSAL_STATUSES)[number];

// A comment, or a suggested change to a proposal's text that its conveners take or leave.
export const COMMENT_KINDS = ['comment', 'suggestion'] as const;
export type CommentKind = (typeof COMMENT_KINDS)[number];
export const SUGGESTION_STATUSES = ['open', 'taken', 'left'] as const;
export type SuggestionStatus = (typeof SUGGESTION_STATUSES)[number];

// The lists of a harvest note: each entry is its own row, so note-takers add in parallel.
export const HARVEST_ITEM_KINDS = ['insight', 'action', 'question', 'resource'] as const;
export type HarvestItemKind = (typeof HARVEST_ITEM_KINDS)[number];
// The single-text parts of a harvest note, each saved on its own with its own version.
export const HARVEST_FIELDS = ['question', 'notes', 'participants'] as const;
export type HarvestField = (typeof HARVEST_FIELDS)[number];

// Licences an organiser can publish the event report under (SPDX ids); the first is the default.
export const REPORT_LICENCES = [
	'CC-BY-SA-4.0',
	'CC-BY-4.0',
	'CC0-1.0',
	'all-rights-reserved'
] as const;
export type ReportLicence = (typeof REPORT_LICENCES)[number];

// A convener's suggestion to merge their proposal with another, until the other side decides.
export const MERGE_REQUEST_STATUSES = ['open', 'merged', 'declined', 'withdrawn'] as const;
export type MergeRequestStatus = (typeof MERGE_REQUEST_STATUSES)[number];

/** Who may start or import events on this instance. */
export const EVENT_CREATION = ['anyone', 'named'] as const;
export type EventCreation = (typeof EVENT_CREATION)[number];
