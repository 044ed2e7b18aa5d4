import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { escapeMarkdown } from '$lib/markdown';
import { useTestDb } from '../../../../tests/fixtures/db';
import { domainError } from '../../../../tests/fixtures/domain-error';
import { harvestSessions } from '../../../../tests/fixtures/harvest';
import { myAgendaIcs, attend } from '../agenda/attendance';
import { publishedAgenda } from '../agenda/grid';
import { publishedSessionPage } from '../agenda/session-page';
import type { Actor } from '../auth/guards';
import { db, schema } from '../db';
import { assignNoteTaker, joinContinuers, openHarvest, saveHarvestField } from '../harvest/harvest';
import { eventReport } from '../harvest/report';
import { reportMarkdown } from '../harvest/report-markdown';
import { markHarvestComplete, publishReport } from '../harvest/review';
import { attendeeBoard, marketplaceBoard } from '../marketplace/board';
import { listComments } from '../marketplace/comments';
import { proposalHistory } from '../marketplace/proposals';
import { attendeesCsv } from '../tickets/attendees';
import { searchTickets } from '../tickets/checkin';
import { eventDirectory, saveDirectoryEntry } from './directory';
import { myShownName, setShownName, shownNames } from './shown-name';

useTestDb();

const ACCOUNT = 'Zedekiah Legalname';
const SHOWN = 'Ana (she/her)';

/**
 * An event where Ana convenes the first session, commented on her proposal, takes its notes,
 * wants to continue, is in the directory, and a second attendee marked her session.
 */
async function anaEverywhere() {
	const f = await harvestSessions({ attendees: 3 });
	const { event, organiser, facilitator, session, proposals } = f;
	const [ana, bea] = f.attendees;
	await db().update(schema.users).set({ name: ACCOUNT }).where(eq(schema.users.id, ana.id));
	await db()
		.insert(schema.proposalComments)
		.values({ eventId: event.id, proposalId: proposals[0].id, authorId: ana.id, body: 'Hello' });
	await saveDirectoryEntry(ana, event.id, {
		organisation: 'Co-op',
		offers: '',
		seeks: '',
		contact: ''
	});
	await assignNoteTaker(facilitator, event.id, session.id, ana.id);
	await saveHarvestField(ana, event.id, session.id, { field: 'question', value: 'Q', version: 0 });
	await joinContinuers(ana, event.id, session.id, 'ana@example.org');
	await joinContinuers(bea, event.id, session.id, 'bea@example.org');
	await attend(bea, event.id, session.id);
	const harvest = await openHarvest(organiser, event.id, session.id);
	await markHarvestComplete(organiser, event.id, harvest.harvest.id, true);
	await publishReport(organiser, event.id);
	return { ...f, ana, bea };
}

type Fixture = Awaited<ReturnType<typeof anaEverywhere>>;

/** Every place an attendee (Bea) or anyone sees Ana: pages' data, downloads and live messages. */
async function catalogue(f: Fixture): Promise<Record<string, string>> {
	const { event, bea, session, proposals } = f;
	const report = await eventReport(null as Actor, event.id);
	const live = await db()
		.select({ topic: schema.liveEvents.topic, data: schema.liveEvents.data })
		.from(schema.liveEvents)
		.where(eq(schema.liveEvents.eventId, event.id));
	const text = (x: unknown) => (typeof x === 'string' ? x : JSON.stringify(x));
	return {
		'marketplace board and wall': text(await marketplaceBoard(event.id)),
		"an attendee's marketplace": text(await attendeeBoard(bea, event.id)),
		'agenda and wall now': text(await publishedAgenda(event.id)),
		'session page': text(await publishedSessionPage(event.id, session.id)),
		'calendar feed (my agenda)': await myAgendaIcs(bea, event.id, 'http://t'),
		'proposal comments': text(await listComments(event.id, proposals[0].id)),
		'proposal history': text(await proposalHistory(event.id, proposals[0].id)),
		directory: text(await eventDirectory(bea, event.id)),
		'harvest page': text(await openHarvest(bea, event.id, session.id)),
		'report JSON': text(report),
		'report Markdown': reportMarkdown(report),
		'live messages': text(live)
	};
}

describe('the shown name', () => {
	it('replaces the account name on every page, download and live message others see', async () => {
		const f = await anaEverywhere();
		// Negative control: with no shown name chosen, every entry shows the account name, so
		// each one really shows Ana (the live messages carry no names at all).
		const before = await catalogue(f);
		for (const [place, text] of Object.entries(before)) {
			if (place === 'live messages') continue;
			expect(text, place).toContain(ACCOUNT);
		}
		await setShownName(f.ana, f.event.id, `  ${SHOWN} `);
		const after = await catalogue(f);
		for (const [place, text] of Object.entries(after)) {
			expect(text, place).not.toContain(ACCOUNT);
			// The Markdown escapes what could be read as markup, the parentheses included.
			const shown = place === 'report Markdown' ? escapeMarkdown(SHOWN) : SHOWN;
			if (place !== 'live messages') expect(text, place).toContain(shown);
		}
		expect(await myShownName(f.ana, f.event.id)).toEqual({ chosen: SHOWN, account: ACCOUNT });
	});

	it('still shows organisers the name on the ticket at the door and in the CSV', async () => {
		const f = await anaEverywhere();
		await setShownName(f.ana, f.event.id, SHOWN);
		const [ticket] = await db()
			.select()
			.from(schema.tickets)
			.where(eq(schema.tickets.holderId, f.ana.id));
		// The ticket carries the attendee's name as typed at the order: make it the account name.
		await db()
			.update(schema.tickets)
			.set({ name: ACCOUNT })
			.where(eq(schema.tickets.id, ticket.id));
		const found = await searchTickets(f.organiser, f.event.id, 'Legalname');
		expect(found.map((x) => x.name)).toEqual([ACCOUNT]);
		const csv = await attendeesCsv(f.organiser, f.event.id);
		expect(csv).toContain(SHOWN);
	});

	it('is per event, empty goes back to the account name, and needs a ticket there', async () => {
		const f = await anaEverywhere();
		const other = await harvestSessions({ attendees: 1 });
		await setShownName(f.ana, f.event.id, SHOWN);
		expect((await shownNames(f.event.id, [f.ana.id])).get(f.ana.id)).toBe(SHOWN);
		// Ana holds no ticket for the other event: there she is not renamed, and may not choose.
		expect((await shownNames(other.event.id, [f.ana.id])).get(f.ana.id)).toBe(ACCOUNT);
		expect((await domainError(() => setShownName(f.ana, other.event.id, SHOWN))).kind).toBe(
			'forbidden'
		);
		expect((await domainError(() => setShownName(f.ana, f.event.id, '<b>x</b>'))).kind).toBe(
			'invalid'
		);
		await setShownName(f.ana, f.event.id, '');
		expect((await shownNames(f.event.id, [f.ana.id])).get(f.ana.id)).toBe(ACCOUNT);
	});
});
