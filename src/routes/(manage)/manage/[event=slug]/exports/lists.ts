import type { Actor, EventPermission } from '$lib/server/auth/guards';
import { proposalsCsv } from '$lib/server/marketplace/proposals-csv';
import { talksCsv } from '$lib/server/talks/talks-csv';
import {
	attendeesCsv,
	cateringCsv,
	ordersCsv,
	ticketsCsv,
	waitingListCsv
} from '$lib/server/tickets/attendees';

/** Every list an organiser can download, the file it comes as and who may take it. */
export const EXPORTS = {
	'orders.csv': { permission: 'orders.view', run: ordersCsv },
	'attendees.csv': { permission: 'orders.view', run: attendeesCsv },
	'tickets.csv': { permission: 'orders.view', run: ticketsCsv },
	'waiting-list.csv': { permission: 'orders.view', run: waitingListCsv },
	'catering.csv': { permission: 'orders.view', run: cateringCsv },
	'talks.csv': { permission: 'talks.review', run: talksCsv },
	'proposals.csv': { permission: 'marketplace.run', run: proposalsCsv }
} as const satisfies Record<
	string,
	{ permission: EventPermission; run: (actor: Actor, eventId: number) => Promise<string> }
>;

export type ExportName = keyof typeof EXPORTS;

export const isExport = (name: string): name is ExportName => Object.hasOwn(EXPORTS, name);
