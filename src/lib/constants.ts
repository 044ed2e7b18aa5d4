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

export const EVENT_ROLES = ['organiser', 'facilitator'] as const;
export type EventRole = (typeof EVENT_ROLES)[number];

export const PRICINGS = ['fixed', 'pay_what_you_can', 'free'] as const;
export type Pricing = (typeof PRICINGS)[number];

export const REFUND_POLICIES = ['full', 'none'] as const;
export type RefundPolicy = (typeof REFUND_POLICIES)[number];

// held: a seat is kept while the buyer pays. paid: a ticket exists. expired/cancelled: the seat
// went back. refund_pending/refunded: money came in for a seat that could not be kept or was given up.
export const ORDER_STATUSES = [
	'held',
	'paid',
	'expired',
	'cancelled',
	'refund_pending',
	'refunded'
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
