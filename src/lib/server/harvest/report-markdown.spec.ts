import { eq } from 'drizzle-orm';
import { marked } from 'marked';
import { describe, expect, it } from 'vitest';
import { escapeMarkdown } from '$lib/markdown';
import { useTestDb } from '../../../../tests/fixtures/db';
import { harvestSessions } from '../../../../tests/fixtures/harvest';
import { db, schema } from '../db';
import { openHarvest } from './harvest';
import { addHarvestItem } from './items';
import { eventReport } from './report';
import { reportMarkdown } from './report-markdown';
import { markHarvestComplete } from './review';

useTestDb();

const CLAIM = '[Claim](javascript:alert(1)) ![b](https://tracker.example/p.png)';
const PHISH = 'x) [Verify](https://phish.example';

/** The report's Markdown as a CommonMark (GFM) renderer turns it into HTML. */
const rendered = (md: string) => marked.parse(md, { async: false, gfm: true }) as string;

describe('plain text in Markdown', () => {
	it('opens no link, autolink, image or HTML, and keeps ordinary punctuation readable', () => {
		for (const hostile of [
			CLAIM,
			PHISH,
			'www.phish.example and ana@phish.example and https://phish.example/x',
			'<a href="https://phish.example">x</a> <https://phish.example> &#106;avascript:x',
			'[x]: https://phish.example\n[x]'
		]) {
			const html = rendered(`Text: ${escapeMarkdown(hostile)}`);
			expect(html, hostile).not.toMatch(/<a |<img|<script/);
		}
		expect(escapeMarkdown('Summer gathering-2027: what next? 4.0')).toBe(
			'Summer gathering-2027: what next? 4.0'
		);
	});
});

describe('the report Markdown', () => {
	it('escapes every plain-text field, so hostile titles, names and questions open no link or image', async () => {
		const f = await harvestSessions();
		const { event, organiser, session, attendees } = f;
		// Text as it may sit in the database (typed before, or imported): the report must cope.
		await db()
			.update(schema.proposals)
			.set({ title: PHISH })
			.where(eq(schema.proposals.id, session.proposalId));
		await db().update(schema.rooms).set({ name: CLAIM }).where(eq(schema.rooms.eventId, event.id));
		await db().update(schema.events).set({ name: CLAIM }).where(eq(schema.events.id, event.id));
		await db().update(schema.users).set({ name: PHISH });
		const { harvest } = await openHarvest(attendees[0], event.id, session.id);
		await db()
			.update(schema.harvests)
			.set({ question: CLAIM, notes: 'Fine **notes** with [a link](https://ok.example)' })
			.where(eq(schema.harvests.id, harvest.id));
		await addHarvestItem(attendees[0], event.id, session.id, {
			kind: 'action',
			text: 'Write it up',
			owner: CLAIM,
			dueOn: null,
			url: null
		});
		await addHarvestItem(attendees[0], event.id, session.id, {
			kind: 'resource',
			text: PHISH,
			owner: null,
			dueOn: null,
			url: 'https://docs.example/notes'
		});
		await db()
			.insert(schema.harvestItems)
			.values({ eventId: event.id, harvestId: harvest.id, kind: 'insight', text: CLAIM });
		await markHarvestComplete(organiser, event.id, harvest.id, true);

		const md = reportMarkdown(await eventReport(organiser, event.id));
		const html = rendered(md);
		expect(html).not.toContain('<img');
		expect(html).not.toMatch(/href="javascript/i);
		expect(html).not.toContain('href="https://phish.example');
		expect(html).not.toContain('tracker.example/p.png"');
		// The only links are the licence, the Markdown note's own link and the resource.
		const links = [...html.matchAll(/<a href="([^"]*)"/g)].map((x) => x[1]);
		expect(links.sort()).toEqual(
			[
				'https://creativecommons.org/licenses/by-sa/4.0/',
				'https://docs.example/notes',
				'https://ok.example'
			].sort()
		);
		// The text itself still reads as typed.
		expect(html).toContain('x) [Verify](https://phish.example');
		expect(html).toContain('[Claim](javascript:alert(1)) ![b](https://tracker.example/p.png)');
	});

	it('keeps an unsafe Markdown text out of the JSON data as plain text too', async () => {
		const f = await harvestSessions();
		const { event, organiser, session, attendees } = f;
		const { harvest } = await openHarvest(attendees[0], event.id, session.id);
		await db()
			.update(schema.harvests)
			.set({ notes: '<img src=x onerror=alert(1)> [x](javascript:alert(1))' })
			.where(eq(schema.harvests.id, harvest.id));
		await markHarvestComplete(organiser, event.id, harvest.id, true);
		const report = await eventReport(organiser, event.id);
		const notes = report.rounds[0].blocks[0].sessions[0].notes;
		// Whoever renders the JSON's Markdown gets the text back, with no image and no link.
		expect(rendered(notes)).not.toMatch(/<img|<a /);
		expect(rendered(notes)).toContain('&lt;img src=x onerror=alert(1)&gt;');
	});
});
