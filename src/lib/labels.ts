import type { BlockKind, EventRole, OrderStatus, Pricing, WaitingStatus } from './constants';
import { m } from './paraglide/messages';

const BLOCK_KIND_LABELS: Record<BlockKind, () => string> = {
	plenary: () => m.block_kind_plenary(),
	lightning_talks: () => m.block_kind_lightning_talks(),
	marketplace: () => m.block_kind_marketplace(),
	session_round: () => m.block_kind_session_round(),
	break: () => m.block_kind_break(),
	social: () => m.block_kind_social()
};

export const blockKindLabel = (kind: BlockKind) => BLOCK_KIND_LABELS[kind]();

const ROLE_LABELS: Record<EventRole, () => string> = {
	organiser: () => m.role_organiser(),
	facilitator: () => m.role_facilitator(),
	reviewer: () => m.role_reviewer()
};

export const roleLabel = (role: EventRole) => ROLE_LABELS[role]();

const ORDER_STATUS_LABELS: Record<OrderStatus, () => string> = {
	held: () => m.order_status_held(),
	paid: () => m.order_status_paid(),
	expired: () => m.order_status_expired(),
	cancelled: () => m.order_status_cancelled(),
	refund_pending: () => m.order_status_refund_pending(),
	refunded: () => m.order_status_refunded(),
	disputed: () => m.order_status_disputed()
};

/** An order's state; a paid order of nothing is "Free", not "Paid". */
export const orderStatusLabel = (status: OrderStatus, amountCents?: number) =>
	status === 'paid' && amountCents === 0 ? m.order_status_free() : ORDER_STATUS_LABELS[status]();

const WAITING_STATUS_LABELS: Record<WaitingStatus, () => string> = {
	waiting: () => m.waiting_status_waiting(),
	offered: () => m.waiting_status_offered(),
	claimed: () => m.waiting_status_claimed(),
	expired: () => m.waiting_status_expired(),
	left: () => m.waiting_status_left(),
	closed: () => m.waiting_status_closed()
};

export const waitingStatusLabel = (status: WaitingStatus) => WAITING_STATUS_LABELS[status]();

const PRICING_LABELS: Record<Pricing, () => string> = {
	fixed: () => m.pricing_fixed(),
	pay_what_you_can: () => m.pricing_pay_what_you_can(),
	free: () => m.pricing_free()
};

export const pricingLabel = (pricing: Pricing) => PRICING_LABELS[pricing]();
