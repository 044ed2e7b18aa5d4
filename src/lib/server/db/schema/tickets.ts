import {
	boolean,
	index,
	integer,
	jsonb,
	pgTable,
	text,
	timestamp,
	uniqueIndex
} from 'drizzle-orm/pg-core';
import { ORDER_STATUSES, PRICINGS, REFUND_POLICIES, WAITING_STATUSES } from '../../../constants';
import { events } from './events';
import { users } from './users';

/** Per-event ticketing settings and the seat counter that enforces the attendance cap. */
export const ticketing = pgTable('ticketing', {
	eventId: integer()
		.primaryKey()
		.references(() => events.id, { onDelete: 'cascade' }),
	currency: text().notNull().default('EUR'),
	// Seats sold or held; only ever changed by a guarded UPDATE ... WHERE seats_taken < cap.
	seatsTaken: integer().notNull().default(0),
	cancelUntil: timestamp({ withTimezone: true }),
	refundPolicy: text({ enum: REFUND_POLICIES }).notNull().default('full'),
	offerHours: integer().notNull().default(24)
});

export const ticketTypes = pgTable(
	'ticket_types',
	{
		id: integer().primaryKey().generatedAlwaysAsIdentity(),
		eventId: integer()
			.notNull()
			.references(() => events.id, { onDelete: 'cascade' }),
		name: text().notNull(),
		description: text().notNull().default(''),
		pricing: text({ enum: PRICINGS }).notNull(),
		// Amounts in the currency's minor unit (cents, pence).
		priceCents: integer().notNull().default(0),
		minCents: integer().notNull().default(0),
		suggestedCents: integer().notNull().default(0),
		maxCents: integer().notNull().default(0),
		quota: integer(),
		seatsTaken: integer().notNull().default(0),
		salesStart: timestamp({ withTimezone: true }),
		salesEnd: timestamp({ withTimezone: true }),
		accessCode: text(),
		// Tickets one person may hold for the event when ordering this type: sold or held, bought
		// by them or for their address. One each unless the organiser raises it (a family ticket).
		perPerson: integer().notNull().default(1),
		position: integer().notNull().default(0),
		createdAt: timestamp({ withTimezone: true }).notNull().defaultNow()
	},
	(t) => [index('ticket_types_event_idx').on(t.eventId)]
);

export interface OrderAnswers {
	dietary: string;
	access: string;
	publicName: string;
}

export const orders = pgTable(
	'orders',
	{
		id: integer().primaryKey().generatedAlwaysAsIdentity(),
		eventId: integer()
			.notNull()
			.references(() => events.id, { onDelete: 'cascade' }),
		ticketTypeId: integer()
			.notNull()
			.references(() => ticketTypes.id, { onDelete: 'restrict' }),
		buyerId: integer().references(() => users.id, { onDelete: 'set null' }),
		attendeeName: text().notNull(),
		attendeeEmail: text().notNull(),
		answers: jsonb().$type<OrderAnswers>().notNull(),
		amountCents: integer().notNull(),
		currency: text().notNull(),
		status: text({ enum: ORDER_STATUSES }).notNull(),
		// Whether this order still counts against the cap (a hold or a sale).
		holdsSeat: boolean().notNull().default(true),
		holdExpiresAt: timestamp({ withTimezone: true }),
		stripeSessionId: text(),
		stripePaymentIntent: text(),
		waitingId: integer(),
		createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
		paidAt: timestamp({ withTimezone: true }),
		cancelledAt: timestamp({ withTimezone: true })
	},
	(t) => [
		index('orders_event_idx').on(t.eventId, t.status),
		uniqueIndex('orders_stripe_session_key').on(t.stripeSessionId),
		index('orders_hold_idx').on(t.status, t.holdExpiresAt)
	]
);

/**
 * An order from someone not signed in, waiting for them to confirm their address by the mailed
 * link. It holds no seat and makes no account; confirming places the order as that person. One
 * per address and event: ordering again replaces it (and its link).
 */
export const orderRequests = pgTable(
	'order_requests',
	{
		id: integer().primaryKey().generatedAlwaysAsIdentity(),
		eventId: integer()
			.notNull()
			.references(() => events.id, { onDelete: 'cascade' }),
		ticketTypeId: integer()
			.notNull()
			.references(() => ticketTypes.id, { onDelete: 'cascade' }),
		attendeeName: text().notNull(),
		attendeeEmail: text().notNull(),
		answers: jsonb().$type<OrderAnswers>().notNull(),
		amountCents: integer().notNull(),
		// The hidden type's code as typed, so confirming passes the same check as ordering.
		accessCode: text().notNull().default(''),
		// SHA-256 of the mailed link's token; the token itself is never stored.
		tokenHash: text().notNull(),
		expiresAt: timestamp({ withTimezone: true }).notNull(),
		createdAt: timestamp({ withTimezone: true }).notNull().defaultNow()
	},
	(t) => [
		uniqueIndex('order_requests_token_key').on(t.tokenHash),
		uniqueIndex('order_requests_address_key').on(t.eventId, t.attendeeEmail),
		index('order_requests_expiry_idx').on(t.expiresAt)
	]
);

export const tickets = pgTable(
	'tickets',
	{
		id: integer().primaryKey().generatedAlwaysAsIdentity(),
		orderId: integer()
			.notNull()
			.references(() => orders.id, { onDelete: 'cascade' }),
		eventId: integer()
			.notNull()
			.references(() => events.id, { onDelete: 'cascade' }),
		ticketTypeId: integer()
			.notNull()
			.references(() => ticketTypes.id, { onDelete: 'restrict' }),
		holderId: integer().references(() => users.id, { onDelete: 'set null' }),
		name: text().notNull(),
		email: text().notNull(),
		// Unguessable check-in code (the QR carries it); unique across the whole instance.
		code: text().notNull(),
		status: text({ enum: ['valid', 'cancelled'] })
			.notNull()
			.default('valid'),
		checkedInAt: timestamp({ withTimezone: true }),
		checkedInBy: integer().references(() => users.id, { onDelete: 'set null' }),
		// Which door (its name, as the door phone chose it) and which phone let the ticket in.
		checkedInDoor: text(),
		checkedInDevice: text(),
		createdAt: timestamp({ withTimezone: true }).notNull().defaultNow()
	},
	(t) => [
		uniqueIndex('tickets_code_key').on(t.code),
		// One ticket per order: a duplicated webhook can never issue a second one.
		uniqueIndex('tickets_order_key').on(t.orderId),
		index('tickets_event_idx').on(t.eventId)
	]
);

export const waitingList = pgTable(
	'waiting_list',
	{
		id: integer().primaryKey().generatedAlwaysAsIdentity(),
		eventId: integer()
			.notNull()
			.references(() => events.id, { onDelete: 'cascade' }),
		ticketTypeId: integer()
			.notNull()
			.references(() => ticketTypes.id, { onDelete: 'cascade' }),
		userId: integer().references(() => users.id, { onDelete: 'set null' }),
		name: text().notNull(),
		email: text().notNull(),
		status: text({ enum: WAITING_STATUSES }).notNull().default('waiting'),
		offerTokenHash: text(),
		offerExpiresAt: timestamp({ withTimezone: true }),
		createdAt: timestamp({ withTimezone: true }).notNull().defaultNow()
	},
	(t) => [index('waiting_list_queue_idx').on(t.ticketTypeId, t.status, t.id)]
);

/** Stripe event ids already handled, written in the same transaction as their effect. */
export const stripeEvents = pgTable('stripe_events', {
	id: text().primaryKey(),
	type: text().notNull(),
	processedAt: timestamp({ withTimezone: true }).notNull().defaultNow()
});

/**
 * The key a door phone hashes ticket codes with to keep the event's ticket list offline
 * (HMAC-SHA-256): one current key per event; revoking it makes the next download take a new one
 * and refuses what phones holding the old one send.
 */
export const doorKeys = pgTable(
	'door_keys',
	{
		id: integer().primaryKey().generatedAlwaysAsIdentity(),
		eventId: integer()
			.notNull()
			.references(() => events.id, { onDelete: 'cascade' }),
		secret: text().notNull(),
		createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
		revokedAt: timestamp({ withTimezone: true })
	},
	(t) => [index('door_keys_event_idx').on(t.eventId)]
);

/**
 * Every admission at a door, and every offline scan a door phone sent later (by its scan id, so a
 * replayed batch applies once). `outcome` is 'admitted' for the admission that counts, 'conflict'
 * for an offline admission of a ticket that another scan let in first, 'cancelled' for an offline
 * admission of a ticket cancelled meanwhile, 'undone' once an organiser took the check-in back.
 */
export const doorScans = pgTable(
	'door_scans',
	{
		id: integer().primaryKey().generatedAlwaysAsIdentity(),
		eventId: integer()
			.notNull()
			.references(() => events.id, { onDelete: 'cascade' }),
		scanId: text(),
		ticketId: integer()
			.notNull()
			.references(() => tickets.id, { onDelete: 'cascade' }),
		door: text(),
		device: text(),
		userId: integer().references(() => users.id, { onDelete: 'set null' }),
		scannedAt: timestamp({ withTimezone: true }).notNull(),
		offline: boolean().notNull().default(false),
		outcome: text({ enum: ['admitted', 'conflict', 'cancelled', 'undone'] }).notNull(),
		createdAt: timestamp({ withTimezone: true }).notNull().defaultNow()
	},
	(t) => [
		uniqueIndex('door_scans_scan_key').on(t.eventId, t.scanId),
		index('door_scans_ticket_idx').on(t.ticketId)
	]
);
