import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { m } from '$lib/paraglide/messages';
import { useTestDb } from '../../../../tests/fixtures/db';
import { domainError } from '../../../../tests/fixtures/domain-error';
import { callInput, daysOf, makeTalk } from '../../../../tests/fixtures/factories';
import { harvestSessions } from '../../../../tests/fixtures/harvest';
import type { Actor } from '../auth/guards';
import { db, schema } from '../db';
import { openHarvest, saveHarvestField } from './harvest';
import { addHarvestItem, removeHarvestItem } from './items';
import { eventReport, plenarySlides, reportPublished } from './report';
import {
	hideHarvest,
	markHarvestComplete,
	publishReport,
	reviewHarvests,
	setReportLicence,
	unpublishReport
} from './review';
import { reportMarkdown } from './report-markdown';
import { placeTalk } from '../talks/running-order';
import { addBlock } from '../events/schedule';
import { decideTalk } from '../talks/review';
import { saveCall } from '../talks/talks';

useTestDb();

type Fixture = Awaited<ReturnType<typeof harvestSessions>>;

/** Fill a session's harvest through the note-takers' own functions; returns the harvest id. */
async function fill(f: Fixture, sessionId: number, tag: string, writer: Actor = f.attendees[0]) {
	const { event } = f;
	await saveHarvestField(writer, event.id, sessionId, {
		field: 'question',
		value: `Question ${tag}`,
		version: 0
	});
	await saveHarvestField(writer, event.id, sessionId, {
		field: 'notes',
		value: `Notes ${tag} with **bold**`,
		version: 0
	});
	for (const n of [1, 2, 3, 4]) {
		await addHarvestItem(writer, event.id, sessionId, {
			kind: 'insight',
			text: `Insight ${n} ${tag}`,
			owner: null,
			dueOn: null,
			url: null
		});
	}
	await addHarvestItem(writer, event.id, sessionId, {
		kind: 'action',
		text: `Action ${tag}`,
		owner: `Owner ${tag}`,
		dueOn: '2027-07-01',
		url: null
	});
	await addHarvestItem(writer, event.id, sessionId, {
		kind: 'resource',
		text: `Resource ${tag}`,
		owner: null,
		dueOn: null,
		url: `https://example.org/${tag}`
	});
	return (await openHarvest(writer, event.id, sessionId)).harvest.id;
}

/** Everything a reader could get: the data, its Markdown and its JSON, as one text. */
async function everything(actor: Actor, eventId: number) {
	const report = await eventReport(actor, eventId);
	return `${reportMarkdown(report)}\n${JSON.stringify(report)}`;
}

describe('harvest review and the event report', () => {
	it('never lets a hidden harvest into the report, its Markdown or its JSON', async () => {
		const f = await harvestSessions();
		const { event, organiser, sessions } = f;
		const [a, b] = [await fill(f, sessions[0].id, 'alpha'), await fill(f, sessions[1].id, 'beta')];
		await markHarvestComplete(organiser, event.id, a, true);
		await markHarvestComplete(organiser, event.id, b, true);
		await publishReport(organiser, event.id);
		// Negative control: both are complete and shown, so both texts are there.
		let text = await everything(null, event.id);
		for (const t of ['alpha', 'beta']) {
			expect(text).toContain(`Question ${t}`);
			expect(text).toContain(`Notes ${t}`);
			expect(text).toContain(`Action ${t}`);
			expect(text).toContain(`https://example.org/${t}`);
		}
		await hideHarvest(organiser, event.id, b, true);
		text = await everything(null, event.id);
		expect(text).toContain('Question alpha');
		expect(text).not.toContain('beta');
		// Not even the title of the hidden session's proposal.
		expect(text).toContain('Proposal 0');
		expect(text).not.toContain('Proposal 1');
		// The organiser's own preview leaves it out too, and so does the actions list.
		const preview = await eventReport(organiser, event.id);
		expect(preview.actions.map((x) => x.text)).toEqual(['Action alpha']);
		expect(JSON.stringify(preview)).not.toContain('beta');
		// Shown again, it is back.
		await hideHarvest(organiser, event.id, b, false);
		expect(await everything(null, event.id)).toContain('Question beta');
	});

	it('leaves out harvests not marked complete, and says so in the review', async () => {
		const f = await harvestSessions();
		const { event, organiser, sessions } = f;
		const a = await fill(f, sessions[0].id, 'alpha');
		await fill(f, sessions[1].id, 'beta');
		await markHarvestComplete(organiser, event.id, a, true);
		const report = await eventReport(organiser, event.id);
		const titles = report.rounds.flatMap((r) => r.blocks.flatMap((b) => b.sessions));
		expect(titles.map((s) => s.question)).toEqual(['Question alpha']);
		expect(reportMarkdown(report)).not.toContain('beta');
		const review = await reviewHarvests(organiser, event.id);
		const states = review.rounds[0].blocks[0].sessions.map((s) => s.state);
		expect(states).toEqual(['complete', 'in_progress']);
		expect(review.totals).toEqual({ sessions: 2, inReport: 1, hidden: 0 });
		// Reopened, it leaves the report.
		await markHarvestComplete(organiser, event.id, a, false);
		const after = await eventReport(organiser, event.id);
		expect(after.rounds).toEqual([]);
	});

	it('sends a harvest edited after review back to review, and publishes the approved version until then', async () => {
		const f = await harvestSessions();
		const { event, organiser, sessions, attendees } = f;
		const id = await fill(f, sessions[0].id, 'alpha');
		await markHarvestComplete(organiser, event.id, id, true);
		await publishReport(organiser, event.id);
		const state = async () =>
			(await reviewHarvests(organiser, event.id)).rounds[0].blocks[0].sessions[0].state;
		expect(await state()).toBe('complete');

		// A note-taker edits the approved harvest and adds an item.
		const { harvest } = await openHarvest(attendees[0], event.id, sessions[0].id);
		await saveHarvestField(attendees[0], event.id, sessions[0].id, {
			field: 'question',
			value: 'Rewritten question',
			version: harvest.question.version
		});
		await addHarvestItem(attendees[0], event.id, sessions[0].id, {
			kind: 'insight',
			text: 'Added after review',
			owner: null,
			dueOn: null,
			url: null
		});
		expect(await state()).toBe('needs_review');
		const published = await everything(null, event.id);
		expect(published).toContain('Question alpha');
		expect(published).not.toContain('Rewritten question');
		expect(published).not.toContain('Added after review');

		// The organiser approves the change: the report follows.
		await markHarvestComplete(organiser, event.id, id, true);
		expect(await state()).toBe('complete');
		const approved = await everything(null, event.id);
		expect(approved).toContain('Rewritten question');
		expect(approved).toContain('Added after review');
		expect(approved).not.toContain('Question alpha');
	});

	it('lists sessions nobody wrote about as not started, without making harvest rows', async () => {
		const { event, organiser, facilitator } = await harvestSessions();
		const review = await reviewHarvests(facilitator, event.id);
		expect(review.canReview).toBe(false);
		expect(review.rounds[0].blocks[0].sessions.map((s) => [s.state, s.harvestId])).toEqual([
			['none', null],
			['none', null]
		]);
		expect((await reviewHarvests(organiser, event.id)).canReview).toBe(true);
		const rows = await db()
			.select()
			.from(schema.harvests)
			.where(eq(schema.harvests.eventId, event.id));
		expect(rows).toEqual([]);
	});

	it('lets only organisers complete, hide, set the licence and publish', async () => {
		const f = await harvestSessions();
		const { event, organiser, facilitator, outsider, attendees, sessions } = f;
		const id = await fill(f, sessions[0].id, 'alpha');
		for (const who of [facilitator, attendees[0], outsider]) {
			for (const run of [
				() => markHarvestComplete(who, event.id, id, true),
				() => hideHarvest(who, event.id, id, true),
				() => setReportLicence(who, event.id, 'CC0-1.0'),
				() => publishReport(who, event.id),
				() => unpublishReport(who, event.id)
			]) {
				expect((await domainError(run)).kind).toBe('forbidden');
			}
		}
		expect((await domainError(() => publishReport(null, event.id))).kind).toBe('unauthenticated');
		const [row] = await db().select().from(schema.harvests).where(eq(schema.harvests.id, id));
		expect([row.completedAt, row.hiddenAt]).toEqual([null, null]);
		expect(await reportPublished(event.id)).toBe(false);
		// Attendees and outsiders may not even read the review; the organiser may do all of it.
		expect((await domainError(() => reviewHarvests(attendees[0], event.id))).kind).toBe(
			'forbidden'
		);
		await markHarvestComplete(organiser, event.id, id, true);
		await publishReport(organiser, event.id);
		expect(await reportPublished(event.id)).toBe(true);
		const log = await db()
			.select({ action: schema.activity.action })
			.from(schema.activity)
			.where(eq(schema.activity.eventId, event.id));
		expect(log.map((x) => x.action)).toEqual(
			expect.arrayContaining(['harvest.completed', 'report.published'])
		);
	});

	it('refuses a harvest id of another event and changes nothing', async () => {
		const mine = await harvestSessions();
		const theirs = await harvestSessions();
		const id = await fill(theirs, theirs.sessions[0].id, 'other');
		for (const run of [
			() => markHarvestComplete(mine.organiser, mine.event.id, id, true),
			() => hideHarvest(mine.organiser, mine.event.id, id, true)
		]) {
			expect((await domainError(run)).kind).toBe('not_found');
		}
		const [row] = await db().select().from(schema.harvests).where(eq(schema.harvests.id, id));
		expect([row.completedAt, row.hiddenAt]).toEqual([null, null]);
	});

	it('shows an unpublished report to organisers only, and the public once published', async () => {
		const { event, organiser, facilitator, attendees } = await harvestSessions();
		for (const who of [null, attendees[0], facilitator]) {
			expect((await domainError(() => eventReport(who, event.id))).kind).toBe('not_found');
		}
		const preview = await eventReport(organiser, event.id);
		expect(preview.published).toBe(false);
		await publishReport(organiser, event.id);
		const out = await eventReport(null, event.id);
		expect(out.published).toBe(true);
		expect(out.publishedAt).toBeInstanceOf(Date);
		await unpublishReport(organiser, event.id);
		expect((await domainError(() => eventReport(null, event.id))).kind).toBe('not_found');
	});

	it('carries CC BY-SA 4.0 by default, and the licence the organiser chooses', async () => {
		const { event, organiser } = await harvestSessions();
		const report = await eventReport(organiser, event.id);
		expect(report.licence).toBe('CC-BY-SA-4.0');
		expect(reportMarkdown(report)).toContain('https://creativecommons.org/licenses/by-sa/4.0/');
		await setReportLicence(organiser, event.id, 'CC0-1.0');
		const changed = await eventReport(organiser, event.id);
		expect(changed.licence).toBe('CC0-1.0');
		expect(reportMarkdown(changed)).toContain('publicdomain/zero/1.0');
		const e = await domainError(() => setReportLicence(organiser, event.id, 'GPL-3.0'));
		expect(e.fields.licence).toBe(m.hr_error_licence());
		expect((await eventReport(organiser, event.id)).licence).toBe('CC0-1.0');
		// Publishing keeps the licence chosen before.
		await publishReport(organiser, event.id);
		expect((await eventReport(null, event.id)).licence).toBe('CC0-1.0');
	});

	it('lists every action with its owner, due date and session, and only items still listed', async () => {
		const f = await harvestSessions();
		const { event, organiser, sessions, attendees } = f;
		const id = await fill(f, sessions[0].id, 'alpha');
		const gone = await addHarvestItem(attendees[0], event.id, sessions[0].id, {
			kind: 'action',
			text: 'Removed action',
			owner: 'Nobody',
			dueOn: null,
			url: null
		});
		await removeHarvestItem(attendees[0], event.id, sessions[0].id, gone.id);
		await markHarvestComplete(organiser, event.id, id, true);
		const report = await eventReport(organiser, event.id);
		expect(report.actions).toEqual([
			{
				text: 'Action alpha',
				owner: 'Owner alpha',
				dueOn: '2027-07-01',
				sessionId: sessions[0].id,
				session: 'Proposal 0'
			}
		]);
		const session = report.rounds[0].blocks[0].sessions[0];
		expect(session.room).toBe('Room 1');
		expect(session.insights).toHaveLength(4);
		expect(session.resources).toEqual([
			{ title: 'Resource alpha', url: 'https://example.org/alpha' }
		]);
		const md = reportMarkdown(report);
		expect(md).toContain('Owner alpha');
		expect(md).not.toContain('Removed action');
	});

	it('includes the placed lightning talks with their presenters', async () => {
		const f = await harvestSessions();
		const { event, organiser } = f;
		await saveCall(organiser, event.id, callInput(event.timeZone));
		const [day] = await daysOf(event.id);
		const block = await addBlock(organiser, event.id, {
			dayId: day.id,
			kind: 'lightning_talks',
			title: 'Morning talks',
			start: '09:00',
			end: '09:45',
			roomId: null
		});
		const { talk } = await makeTalk(event.id, { title: 'Data co-ops', presenters: 'Ada Lovelace' });
		const { talk: notPlaced } = await makeTalk(event.id, { title: 'Not on stage' });
		await decideTalk(organiser, event.id, talk.id, 'accepted');
		await decideTalk(organiser, event.id, notPlaced.id, 'accepted');
		await placeTalk(organiser, event.id, talk.id, block.id);
		const report = await eventReport(organiser, event.id);
		expect(report.talks.map((d) => d.talks.map((t) => [t.title, t.presenters]))).toEqual([
			[['Data co-ops', 'Ada Lovelace']]
		]);
		expect(reportMarkdown(report)).toContain('Ada Lovelace');
	});

	it('makes one plenary slide per harvest with content, in agenda order, hidden ones left out', async () => {
		const f = await harvestSessions();
		const { event, organiser, facilitator, attendees, sessions } = f;
		expect(await plenarySlides(facilitator, event.id)).toEqual([]);
		const a = await fill(f, sessions[0].id, 'alpha');
		await fill(f, sessions[1].id, 'beta');
		let slides = await plenarySlides(facilitator, event.id);
		expect(slides.map((s) => s.question)).toEqual(['Question alpha', 'Question beta']);
		expect(slides.map((s) => s.room)).toEqual(['Room 1', 'Room 2']);
		expect(slides[0].insights).toHaveLength(3);
		expect(slides[0].moreInsights).toBe(1);
		expect(slides[0].actions.map((x) => [x.text, x.owner])).toEqual([
			['Action alpha', 'Owner alpha']
		]);
		await hideHarvest(organiser, event.id, a, true);
		slides = await plenarySlides(facilitator, event.id);
		expect(slides.map((s) => s.question)).toEqual(['Question beta']);
		expect((await domainError(() => plenarySlides(attendees[0], event.id))).kind).toBe('forbidden');
	});
});
