import { Temporal } from 'temporal-polyfill';
import { sha256 } from '../auth/tokens';
import type { FeedEntry } from './entries';

// The event's schedule in the frab schedule.xml format and its C3VOC schedule.json twin, as
// conference apps (Giggity, ConfClerk, EventFahrplan) and the C3VOC tools read them. Both are
// written from one model, so they cannot say different things.

export interface FrabEvent {
	id: number;
	slug: string;
	name: string;
	timeZone: string;
	startDate: string;
	endDate: string;
}

export interface FrabDay {
	date: string;
	startsAt: Date | null;
	endsAt: Date | null;
}

/** The instant as the event's wall clock with its UTC offset, e.g. 2026-03-29T03:00:00+02:00. */
export function zonedIso(instant: Date, timeZone: string): string {
	return Temporal.Instant.fromEpochMilliseconds(instant.getTime())
		.toZonedDateTimeISO(timeZone)
		.toString({ timeZoneName: 'never', smallestUnit: 'second' });
}

function zoned(instant: Date, timeZone: string) {
	return Temporal.Instant.fromEpochMilliseconds(instant.getTime()).toZonedDateTimeISO(timeZone);
}

const pad = (n: number) => String(n).padStart(2, '0');

/** Elapsed time as HH:MM (real minutes, so a slot across a clock change keeps its length). */
function duration(x: FeedEntry): string {
	const minutes = Math.round((x.endsAt.getTime() - x.startsAt.getTime()) / 60_000);
	return `${pad(Math.floor(minutes / 60))}:${pad(minutes % 60)}`;
}

/** A name-based UUID (RFC 4122 version 5 layout) from the event and the entry's UID. */
export function entryGuid(eventId: number, uid: string): string {
	const h = sha256(`commonspace:${eventId}:${uid}`).slice(0, 32).split('');
	h[12] = '5';
	h[16] = ((parseInt(h[16], 16) & 0x3) | 0x8).toString(16);
	const s = h.join('');
	return `${s.slice(0, 8)}-${s.slice(8, 12)}-${s.slice(12, 16)}-${s.slice(16, 20)}-${s.slice(20)}`;
}

/** Talks take even ids and sessions odd ones, so both fit frab's one positive id space. */
export const frabId = (x: Pick<FeedEntry, 'kind' | 'id'>) =>
	x.kind === 'talk' ? x.id * 2 : x.id * 2 + 1;

const TRACKS = { talk: 'Lightning talks', session: 'Open space' } as const;
const TYPES = { talk: 'lightning_talk', session: 'open_space_session' } as const;

export interface ScheduleModel {
	version: string;
	baseUrl: string;
	event: FrabEvent;
	days: {
		index: number;
		date: string;
		start: string;
		end: string;
		rooms: { name: string; entries: ReturnType<typeof modelEntry>[] }[];
	}[];
	rooms: string[];
}

function modelEntry(event: FrabEvent, origin: string, x: FeedEntry) {
	const local = zoned(x.startsAt, event.timeZone);
	return {
		id: frabId(x),
		guid: entryGuid(event.id, x.uid),
		date: zonedIso(x.startsAt, event.timeZone),
		start: `${pad(local.hour)}:${pad(local.minute)}`,
		duration: duration(x),
		room: x.room,
		slug: `${event.slug}-${x.kind}-${x.id}`,
		url: `${origin}${x.path}`,
		title: x.title,
		type: TYPES[x.kind],
		track: TRACKS[x.kind],
		abstract: x.abstract,
		persons: x.persons,
		links: x.links
	};
}

function dayBound(date: string, timeZone: string, instant: Date | null, end: boolean) {
	if (instant) return zonedIso(instant, timeZone);
	const day = Temporal.PlainDate.from(date);
	return (end ? day.add({ days: 1 }) : day)
		.toZonedDateTime({ timeZone })
		.toString({ timeZoneName: 'never', smallestUnit: 'second' });
}

export function scheduleModel(
	event: FrabEvent,
	days: FrabDay[],
	entries: FeedEntry[],
	version: number,
	origin: string
): ScheduleModel {
	const rooms = [...new Set(entries.map((x) => x.room))].sort((a, b) => a.localeCompare(b));
	return {
		version: String(version),
		baseUrl: `${origin}/e/${event.slug}`,
		event,
		rooms,
		days: days.map((day, i) => {
			const onDay = entries.filter(
				(x) => zoned(x.startsAt, event.timeZone).toPlainDate().toString() === day.date
			);
			return {
				index: i + 1,
				date: day.date,
				start: dayBound(day.date, event.timeZone, day.startsAt, false),
				end: dayBound(day.date, event.timeZone, day.endsAt, true),
				rooms: rooms
					.map((name) => ({
						name,
						entries: onDay.filter((x) => x.room === name).map((x) => modelEntry(event, origin, x))
					}))
					.filter((r) => r.entries.length)
			};
		})
	};
}

const escapeXml = (s: string) =>
	s
		.replace(/&/g, '&amp;')
		.replace(/</g, '&lt;')
		.replace(/>/g, '&gt;')
		.replace(/"/g, '&quot;')
		.replace(/'/g, '&apos;')
		// Characters XML 1.0 cannot carry at all.
		// eslint-disable-next-line no-control-regex
		.replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/g, '');

export function scheduleXml(model: ScheduleModel): string {
	const e = model.event;
	const el = (name: string, value: string, indent: string) =>
		`${indent}<${name}>${escapeXml(value)}</${name}>`;
	const lines = [
		'<?xml version="1.0" encoding="UTF-8"?>',
		'<schedule>',
		'  <generator name="commonspace"/>',
		el('version', model.version, '  '),
		'  <conference>',
		el('title', e.name, '    '),
		el('acronym', e.slug, '    '),
		el('start', e.startDate, '    '),
		el('end', e.endDate, '    '),
		el('days', String(model.days.length), '    '),
		el('base_url', model.baseUrl, '    '),
		el('time_zone_name', e.timeZone, '    '),
		'  </conference>'
	];
	for (const day of model.days) {
		lines.push(
			`  <day index="${day.index}" date="${day.date}" start="${day.start}" end="${day.end}">`
		);
		for (const room of day.rooms) {
			lines.push(`    <room name="${escapeXml(room.name)}">`);
			for (const x of room.entries) {
				const i = '        ';
				lines.push(
					`      <event id="${x.id}" guid="${x.guid}">`,
					el('date', x.date, i),
					el('start', x.start, i),
					el('duration', x.duration, i),
					el('room', x.room, i),
					el('slug', x.slug, i),
					el('url', x.url, i),
					el('title', x.title, i),
					el('subtitle', '', i),
					el('track', x.track, i),
					el('type', x.type, i),
					el('abstract', x.abstract, i),
					`${i}<persons>`,
					...x.persons.map((p) =>
						p.id
							? `${i}  <person id="${p.id}">${escapeXml(p.name)}</person>`
							: `${i}  <person>${escapeXml(p.name)}</person>`
					),
					`${i}</persons>`,
					`${i}<links>`,
					...x.links.map(
						(href) => `${i}  <link href="${escapeXml(href)}">${escapeXml(href)}</link>`
					),
					`${i}</links>`,
					'      </event>'
				);
			}
			lines.push('    </room>');
		}
		lines.push('  </day>');
	}
	lines.push('</schedule>', '');
	return lines.join('\n');
}

/** The same schedule as C3VOC's schedule.json. */
export function scheduleJson(model: ScheduleModel) {
	const e = model.event;
	return {
		$schema: 'https://c3voc.de/schedule/schema.json',
		generator: { name: 'commonspace' },
		schedule: {
			version: model.version,
			base_url: model.baseUrl,
			conference: {
				acronym: e.slug,
				title: e.name,
				start: e.startDate,
				end: e.endDate,
				daysCount: model.days.length,
				time_zone_name: e.timeZone,
				rooms: model.rooms.map((name) => ({ name, guid: entryGuid(e.id, `room:${name}`) })),
				days: model.days.map((day) => ({
					index: day.index - 1,
					date: day.date,
					day_start: day.start,
					day_end: day.end,
					rooms: Object.fromEntries(
						day.rooms.map((room) => [
							room.name,
							room.entries.map((x) => ({
								guid: x.guid,
								id: x.id,
								date: x.date,
								start: x.start,
								duration: x.duration,
								room: x.room,
								slug: x.slug,
								url: x.url,
								title: x.title,
								subtitle: '',
								track: x.track,
								type: x.type,
								language: '',
								abstract: x.abstract,
								description: '',
								persons: x.persons.map((p) =>
									p.id ? { id: p.id, public_name: p.name } : { public_name: p.name }
								),
								links: x.links.map((url) => ({ url, title: url })),
								attachments: []
							}))
						])
					)
				}))
			}
		}
	};
}
