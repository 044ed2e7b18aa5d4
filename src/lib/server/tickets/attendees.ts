import { and, desc, eq } from 'drizzle-orm';
import { logActivity } from '../core/activity';
import { requireEventPermission, type Actor } from '../auth/guards';
import { db, schema } from '../db';
import { notFound } from '../core/errors';
import { mailTicket } from './orders';

/** Every order of the event with its ticket type and ticket, newest first. */
export async function listOrders(actor: Actor, eventId: number) {
	await requireEventPermission(actor, eventId, 'orders.view');
	return db()
		.select({ order: schema.orders, typeName: schema.ticketTypes.name, ticket: schema.tickets })
		.from(schema.orders)
		.innerJoin(schema.ticketTypes, eq(schema.ticketTypes.id, schema.orders.ticketTypeId))
		.leftJoin(schema.tickets, eq(schema.tickets.orderId, schema.orders.id))
		.where(eq(schema.orders.eventId, eventId))
		.orderBy(desc(schema.orders.id));
}

function csvCell(value: unknown): string {
	let text = value === null || value === undefined ? '' : String(value);
	// A leading =, +, - or @ would run as a formula in a spreadsheet.
	if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
	return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** The attendee list (valid tickets) as CSV, for badges, catering and the door. */
export async function attendeesCsv(actor: Actor, eventId: number): Promise<string> {
	const rows = await listOrders(actor, eventId);
	const header = [
		'ticket',
		'name',
		'email',
		'ticket type',
		'public name',
		'dietary needs',
		'access needs',
		'amount',
		'currency',
		'checked in at'
	];
	const lines = rows
		.filter((r) => r.ticket && r.ticket.status === 'valid')
		.map(({ order, ticket, typeName }) =>
			[
				ticket!.code,
				ticket!.name,
				ticket!.email,
				typeName,
				order.answers.publicName,
				order.answers.dietary,
				order.answers.access,
				(order.amountCents / 100).toFixed(2),
				order.currency,
				ticket!.checkedInAt?.toISOString() ?? ''
			]
				.map(csvCell)
				.join(',')
		);
	return [header.join(','), ...lines].join('\r\n') + '\r\n';
}

export async function resendTicket(
	actor: Actor,
	eventId: number,
	orderId: number,
	origin: string
): Promise<void> {
	const who = await requireEventPermission(actor, eventId, 'orders.manage');
	const [ticket] = await db()
		.select({ id: schema.tickets.id })
		.from(schema.tickets)
		.where(
			and(
				eq(schema.tickets.orderId, orderId),
				eq(schema.tickets.eventId, eventId),
				eq(schema.tickets.status, 'valid')
			)
		);
	if (!ticket) throw notFound();
	await mailTicket(ticket.id, origin);
	await logActivity(db(), { eventId, actorId: who.id, action: 'ticket.resent', data: { orderId } });
}
