import { m } from '$lib/paraglide/messages';

/** What the exports page offers, in order (the server side is `lists.ts`). */
export const EXPORT_LABELS: {
	file: string;
	/** The event permission it needs (see `lists.ts`). */
	permission: 'orders.view' | 'talks.review' | 'marketplace.run';
	label: () => string;
	description: () => string;
}[] = [
	{
		file: 'orders.csv',
		permission: 'orders.view',
		label: m.export_orders,
		description: m.export_orders_about
	},
	{
		file: 'attendees.csv',
		permission: 'orders.view',
		label: m.export_attendees,
		description: m.export_attendees_about
	},
	{
		file: 'tickets.csv',
		permission: 'orders.view',
		label: m.export_tickets,
		description: m.export_tickets_about
	},
	{
		file: 'waiting-list.csv',
		permission: 'orders.view',
		label: m.export_waiting,
		description: m.export_waiting_about
	},
	{
		file: 'catering.csv',
		permission: 'orders.view',
		label: m.export_catering,
		description: m.export_catering_about
	},
	{
		file: 'talks.csv',
		permission: 'talks.review',
		label: m.export_talks,
		description: m.export_talks_about
	},
	{
		file: 'proposals.csv',
		permission: 'marketplace.run',
		label: m.export_proposals,
		description: m.export_proposals_about
	}
];
