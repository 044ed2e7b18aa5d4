import { readFileSync } from 'node:fs';
import { validateXML } from 'xmllint-wasm';
import { describe, expect, it, vi } from 'vitest';
import { useTestDb } from '../../../../tests/fixtures/db';
import { scheduledEvent } from '../../../../tests/fixtures/feeds';
import { moveSession } from '../agenda/agenda';
import { publishedAgenda } from '../agenda/grid';
import { programmeCalendar } from './calendars';
import { db } from '../db';
import { scheduleJson, scheduleXml } from './frab';
import { publicSchedule } from './schedule';

useTestDb();

const xsd = readFileSync('tests/fixtures/frab/schedule.xml.xsd', 'utf8');
const origin = 'https://gathering.example';

async function validate(xml: string) {
	return validateXML({ xml: [{ fileName: 'schedule.xml', contents: xml }], schema: [xsd] });
}

/** Each <event> of the XML as the fields the JSON twin must repeat. */
function xmlEvents(xml: string) {
	const unescape = (s: string) =>
		s
			.replace(/&lt;/g, '<')
			.replace(/&gt;/g, '>')
			.replace(/&quot;/g, '"')
			.replace(/&apos;/g, "'")
			.replace(/&amp;/g, '&');
	const field = (body: string, name: string) =>
		unescape(new RegExp(`<${name}>([^<]*)</${name}>`).exec(body)?.[1] ?? '');
	return [...xml.matchAll(/<event id="(\d+)" guid="([^"]+)">([\s\S]*?)<\/event>/g)].map(
		([, id, guid, body]) => ({
			id: Number(id),
			guid,
			date: field(body, 'date'),
			start: field(body, 'start'),
			duration: field(body, 'duration'),
			room: field(body, 'room'),
			title: field(body, 'title'),
			persons: [...body.matchAll(/<person[^>]*>([^<]*)<\/person>/g)].map((m) => unescape(m[1]))
		})
	);
}

describe('schedule.xml and schedule.json', () => {
	it('validates against the frab schema across two days and a clock change', async () => {
		const { event } = await scheduledEvent();
		const model = await publicSchedule(event, origin);
		const xml = scheduleXml(model);
		const result = await validate(xml);
		expect(result.errors).toEqual([]);
		expect(result.valid).toBe(true);

		const events = xmlEvents(xml);
		// Six talks and three sessions, on both days.
		expect(events).toHaveLength(9);
		expect(model.days.map((d) => d.date)).toEqual(['2027-03-27', '2027-03-28']);
		expect(model.days.every((d) => d.rooms.length > 0)).toBe(true);
		// The night block keeps the wall clock: 01:30 and 01:40 in winter time, then 03:00 in summer.
		const night = events.filter((x) => x.date.startsWith('2027-03-28'));
		expect(night.map((x) => x.date)).toEqual([
			'2027-03-28T01:30:00+01:00',
			'2027-03-28T01:40:00+01:00',
			'2027-03-28T01:50:00+01:00',
			'2027-03-28T03:00:00+02:00'
		]);
		expect(night.map((x) => x.duration)).toEqual(['00:10', '00:10', '00:10', '00:10']);
		expect(events.map((x) => x.title)).toContain('Co-ops & <commons> "now"');
	});

	it('the JSON says what the XML says', async () => {
		const { event } = await scheduledEvent();
		const model = await publicSchedule(event, origin);
		const xml = xmlEvents(scheduleXml(model));
		const doc = scheduleJson(model);
		const json = doc.schedule.conference.days.flatMap((day) =>
			Object.values(day.rooms)
				.flat()
				.map((x) => ({
					id: x.id,
					guid: x.guid,
					date: x.date,
					start: x.start,
					duration: x.duration,
					room: x.room,
					title: x.title,
					persons: x.persons.map((p) => p.public_name)
				}))
		);
		const byGuid = (a: { guid: string }, b: { guid: string }) => a.guid.localeCompare(b.guid);
		expect(json.sort(byGuid)).toEqual(xml.sort(byGuid));
		expect(json).toHaveLength(9);
		expect(doc.schedule.version).toBe(model.version);
		expect(doc.schedule.conference.time_zone_name).toBe('Europe/Madrid');
		// Sessions name their conveners.
		const sessions = await publishedAgenda(event.id);
		const first = json.find((x) => x.title === sessions[0].title)!;
		expect(first.persons).toEqual(sessions[0].conveners.map((c) => c.name));
		expect(first.room).toBe(sessions[0].room.name);
	});

	it('a change bumps the version once; reading again does not', async () => {
		const { event, organiser, blocks } = await scheduledEvent();
		const first = await publicSchedule(event, origin);
		expect((await publicSchedule(event, origin)).version).toBe(first.version);
		const [session] = await publishedAgenda(event.id);
		const other = blocks.find((b) => b.id !== session.block.id)!;
		await moveSession(organiser, event.id, session.id, other.id, session.room.id);
		const moved = await Promise.all([
			publicSchedule(event, origin),
			publicSchedule(event, origin),
			publicSchedule(event, origin)
		]);
		expect(moved.map((x) => x.version)).toEqual(Array(3).fill(String(Number(first.version) + 1)));
		expect(Number((await publicSchedule(event, origin)).version)).toBe(Number(first.version) + 1);
	});

	it('reading unchanged feeds writes nothing; a change writes once', async () => {
		const { event, organiser, blocks } = await scheduledEvent();
		await publicSchedule(event, origin);
		await programmeCalendar(event, origin);
		const writes = vi.spyOn(db(), 'insert');
		try {
			await publicSchedule(event, origin);
			await programmeCalendar(event, origin);
			expect(writes).not.toHaveBeenCalled();
			const [session] = await publishedAgenda(event.id);
			const other = blocks.find((b) => b.id !== session.block.id)!;
			await moveSession(organiser, event.id, session.id, other.id, session.room.id);
			writes.mockClear();
			await publicSchedule(event, origin);
			await programmeCalendar(event, origin);
			// One statement for the schedule's version, one for the moved entry's SEQUENCE.
			expect(writes).toHaveBeenCalledTimes(2);
		} finally {
			writes.mockRestore();
		}
	});

	it('an invalid document fails the schema (the check can fail)', async () => {
		const { event } = await scheduledEvent();
		const xml = scheduleXml(await publicSchedule(event, origin)).replace(
			/<duration>00:10<\/duration>/,
			'<duration>ten minutes</duration>'
		);
		expect((await validate(xml)).valid).toBe(false);
	});
});
