import { getTableColumns, type Column } from 'drizzle-orm';
import { getTableConfig, type PgTable } from 'drizzle-orm/pg-core';
import * as v from 'valibot';
import { HARVEST_ITEM_KINDS, SESSION_FORMATS } from '$lib/constants';
import type { MovedDots } from '../db/schema/marketplace';
import { schema } from '../db';
import { randomString, sha256 } from '../auth/tokens';
import { importedText } from './text';

// The sections of an event document, in the order they are written on import (each refers only
// to sections before it). Columns and references are read from the drizzle tables, so a new
// column is carried without a change here; only what drizzle cannot tell is declared.

/** Where a reference points: a person, or a row of another section. */
export type Target = string;
export const PEOPLE = 'people';

/** Maps an id in one numbering to the other; null when the row is not there. */
export type Translate = (target: Target, id: number) => number | null;

/** A jsonb column: its shape, and how to renumber the ids it holds. */
export interface JsonSpec {
	schema: v.GenericSchema;
	renumber?: (value: never, t: Translate) => unknown;
}

export interface Section {
	key: string;
	table: PgTable;
	/** At most one row per event: written as an object (or null), not a list. */
	single?: 'required' | 'optional';
	/** Secrets never written to a file; `fresh` makes new ones on import where one is required. */
	omit?: string[];
	fresh?: Record<string, () => unknown>;
	/** References held in plain integer columns (no foreign key). */
	refs?: Record<string, Target>;
	json?: Record<string, JsonSpec>;
}

const ids = v.pipe(v.array(v.pipe(v.number(), v.integer(), v.minValue(1))), v.maxLength(10_000));
const renumberAll = (target: Target) => (list: number[], t: Translate) =>
	list.map((id) => t(target, id)).filter((id): id is number => id !== null);
const strings = v.pipe(v.array(v.pipe(v.string(), v.maxLength(20_000))), v.maxLength(100));
const short = (max: number) => importedText(max);
const count = v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(1_000_000));
const itemSnapshot = v.strictObject({
	text: short(20_000),
	owner: v.nullable(short(20_000)),
	dueOn: v.nullable(short(10)),
	url: v.nullable(short(20_000))
});

export const SECTIONS: Section[] = [
	{ key: 'days', table: schema.days },
	{ key: 'rooms', table: schema.rooms },
	{ key: 'blocks', table: schema.blocks },
	{ key: 'ticketing', table: schema.ticketing, single: 'required' },
	{ key: 'ticketTypes', table: schema.ticketTypes },
	{ key: 'waitingList', table: schema.waitingList, omit: ['offerTokenHash'] },
	{
		key: 'orders',
		table: schema.orders,
		refs: { waitingId: 'waitingList' },
		json: {
			answers: {
				schema: v.strictObject({
					dietary: short(20_000),
					access: short(20_000),
					publicName: short(20_000)
				})
			}
		}
	},
	{ key: 'tickets', table: schema.tickets },
	{ key: 'team', table: schema.eventRoles },
	{
		key: 'talkCall',
		table: schema.talkCalls,
		single: 'optional',
		json: {
			questions: { schema: strings }
		}
	},
	{ key: 'talks', table: schema.talks, json: { answers: { schema: strings } } },
	{
		key: 'talkPresenters',
		table: schema.talkPresenters,
		omit: ['tokenHash'],
		fresh: {
			tokenHash: () => sha256(randomString(32))
		}
	},
	{ key: 'talkReviews', table: schema.talkReviews },
	{ key: 'stage', table: schema.stage, single: 'optional' },
	{ key: 'rounds', table: schema.rounds },
	{
		key: 'proposals',
		table: schema.proposals,
		refs: { mergedInto: 'proposals' },
		json: {
			blockIds: { schema: ids, renumber: renumberAll('blocks') }
		}
	},
	{
		key: 'proposalVersions',
		table: schema.proposalVersions,
		json: {
			content: {
				schema: v.strictObject({
					title: short(20_000),
					question: short(20_000),
					description: short(20_000),
					format: v.picklist(SESSION_FORMATS),
					groupSize: v.nullable(count)
				})
			}
		}
	},
	{ key: 'conveners', table: schema.conveners },
	{ key: 'dots', table: schema.dots },
	{ key: 'dotBudgets', table: schema.dotBudgets },
	{
		key: 'merges',
		table: schema.merges,
		json: {
			addedConveners: { schema: ids, renumber: renumberAll(PEOPLE) },
			movedInterest: { schema: ids, renumber: renumberAll(PEOPLE) },
			moved: {
				schema: v.pipe(
					v.array(
						v.strictObject({
							userId: v.pipe(v.number(), v.integer(), v.minValue(1)),
							fromSource: count,
							targetBefore: count,
							returned: count
						})
					),
					v.maxLength(10_000)
				),
				renumber: (list: MovedDots[], t: Translate) =>
					list.flatMap((m) => {
						const userId = t(PEOPLE, m.userId);
						return userId === null ? [] : [{ ...m, userId }];
					})
			}
		}
	},
	{
		key: 'proposalComments',
		table: schema.proposalComments,
		json: {
			suggested: {
				schema: v.nullable(
					v.strictObject({
						title: v.optional(short(20_000)),
						question: v.optional(short(20_000)),
						description: v.optional(short(20_000))
					})
				)
			}
		}
	},
	{ key: 'interest', table: schema.interest },
	{ key: 'roundBlocks', table: schema.roundBlocks },
	{ key: 'agendaSessions', table: schema.agendaSessions },
	{ key: 'sessionAttendance', table: schema.sessionAttendance },
	{ key: 'sessionPresence', table: schema.sessionPresence },
	{ key: 'mergeRequests', table: schema.mergeRequests },
	{
		key: 'harvests',
		table: schema.harvests,
		json: {
			reviewed: {
				schema: v.nullable(
					v.strictObject({
						question: short(20_000),
						notes: short(20_000),
						participants: v.nullable(count),
						items: v.pipe(
							v.array(
								v.strictObject({
									kind: v.picklist(HARVEST_ITEM_KINDS),
									text: short(20_000),
									owner: v.nullable(short(20_000)),
									dueOn: v.nullable(short(10)),
									url: v.nullable(short(20_000))
								})
							),
							v.maxLength(10_000)
						)
					})
				)
			}
		}
	},
	{ key: 'harvestItems', table: schema.harvestItems },
	{
		key: 'harvestChanges',
		table: schema.harvestChanges,
		json: {
			value: { schema: v.nullable(v.union([short(20_000), count, itemSnapshot])) }
		}
	},
	{ key: 'harvestNoteTakers', table: schema.harvestNoteTakers },
	{ key: 'harvestContinuers', table: schema.harvestContinuers },
	{ key: 'eventReport', table: schema.eventReports, single: 'optional' },
	{ key: 'directoryEntries', table: schema.directoryEntries }
];

/** The event row itself: written as `event`, without its id. */
export const EVENT_SECTION: Section = { key: 'event', table: schema.events, omit: ['id'] };

/** Tables of an event deliberately left out, and why (checked against the database by a spec). */
export const NOT_EXPORTED = {
	invites: 'pending team invites hold a secret token; the organiser invites again',
	live_events: 'short-lived live-screen messages',
	order_requests: 'unconfirmed orders hold a secret link and an address nobody has confirmed',
	activity: 'the audit trail of this instance',
	calendar_tokens: 'secret calendar addresses; people make new ones on the other instance',
	feed_entries: 'what this instance last served to calendars; the other counts anew',
	schedule_versions: 'what this instance last served to conference apps; the other counts anew',
	placeholders: 'who an import on this instance brought in; the file names them as people',
	placeholder_claims: 'claim links hold a secret token; the organiser sends them again',
	door_keys: 'the secret door phones hash ticket codes with; the other instance makes its own',
	door_scans: 'what door phones of this instance sent after working offline, to answer replays'
} as const;

export interface ColumnInfo {
	key: string;
	column: Column;
	/** 'event' for the column that names the owning event; a target for other references. */
	ref?: Target | 'event';
	json?: JsonSpec;
}

export interface SectionInfo extends Section {
	columns: ColumnInfo[];
	hasId: boolean;
	/** Columns of the primary key, for sorting and duplicate checks of rows without an id. */
	keyColumns: string[];
	/** The column linking rows without an event id to an earlier section. */
	parent?: ColumnInfo;
}

function describe(section: Section): SectionInfo {
	const columns = getTableColumns(section.table);
	const keyOf = new Map(Object.entries(columns).map(([k, c]) => [c as Column, k]));
	const config = getTableConfig(section.table);
	const fkTarget = new Map<string, Target | 'event'>();
	for (const fk of config.foreignKeys) {
		const ref = fk.reference();
		const key = keyOf.get(ref.columns[0])!;
		if (ref.foreignTable === schema.users) fkTarget.set(key, PEOPLE);
		else if (ref.foreignTable === schema.events) fkTarget.set(key, 'event');
		else {
			const target = SECTIONS.find((s) => s.table === ref.foreignTable);
			if (!target) throw new Error(`transfer: ${config.name}.${key} points outside the event`);
			fkTarget.set(key, target.key);
		}
	}
	const omit = new Set(section.omit ?? []);
	const info: ColumnInfo[] = Object.entries(columns)
		.filter(([key]) => !omit.has(key))
		.map(([key, column]) => ({
			key,
			column: column as Column,
			ref: fkTarget.get(key) ?? section.refs?.[key],
			json: section.json?.[key]
		}));
	// By column name: drizzle's primary-key config holds other Column objects than the table's.
	const keyByName = new Map(Object.entries(columns).map(([k, c]) => [c.name, k]));
	const keyColumns = config.primaryKeys[0]?.columns.map((c) => keyByName.get(c.name)!) ?? [];
	const hasId = 'id' in columns && !omit.has('id');
	const ownsEvent = info.some((c) => c.ref === 'event');
	const parent = ownsEvent
		? undefined
		: info.find((c) => c.ref && c.ref !== PEOPLE && c.column.notNull);
	return { ...section, columns: info, hasId, keyColumns, parent };
}

export const EVENT_INFO = describe(EVENT_SECTION);
export const SECTION_INFO = SECTIONS.map(describe);
