import * as v from 'valibot';
import { SLUG_PATTERN } from '$lib/schemas/slug';
import { isRealDate, isTimeZone } from '$lib/time';
import { EVENT_INFO, SECTION_INFO, type ColumnInfo, type SectionInfo } from './sections';
import { importedText } from './text';

// The event document: `{ format, event, people, <section>: rows }`. Every row is a strict object
// of its table's columns (no event id, no secrets); ids are document-local, 1..n per section.

export const FORMAT = 'commonspace-event/1';
/** Largest file accepted, in bytes. */
export const MAX_BYTES = 20 * 1024 * 1024;
const MAX_ROWS = 100_000;
const TEXT_MAX = 20_000;
const INT_MAX = 2_147_483_647;

export type DocRow = Record<string, unknown>;
export interface Person {
	ref: number;
	name: string;
	email: string;
}
export type EventDocument = {
	format: typeof FORMAT;
	event: DocRow;
	people: Person[];
} & { [section: string]: unknown };

const ref = v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(INT_MAX));
const whole = v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(INT_MAX));
// Exactly what Date#toISOString writes, so the same instant is always the same text.
const instant = v.pipe(
	v.string(),
	v.regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/),
	v.check((s) => !Number.isNaN(Date.parse(s)) && new Date(s).toISOString() === s, 'Invalid date')
);
const day = v.pipe(v.string(), v.regex(/^\d{4}-\d{2}-\d{2}$/), v.check(isRealDate, 'Invalid date'));

const OVERRIDES: Record<string, v.GenericSchema> = {
	'event.slug': v.pipe(v.string(), v.minLength(3), v.maxLength(60), v.regex(SLUG_PATTERN)),
	'event.timeZone': v.pipe(v.string(), v.maxLength(100), v.check(isTimeZone, 'Unknown time zone')),
	'event.capacity': v.pipe(whole, v.minValue(1))
};

function columnSchema(section: SectionInfo, c: ColumnInfo): v.GenericSchema {
	const override = OVERRIDES[`${section.key}.${c.key}`];
	let s: v.GenericSchema;
	if (override) s = override;
	else if (c.key === 'id' || c.ref) s = ref;
	else if (c.json) s = c.json.schema;
	else {
		const enumValues = (c.column as { enumValues?: string[] }).enumValues;
		switch (c.column.columnType) {
			case 'PgText':
				s = enumValues?.length ? v.picklist(enumValues) : importedText(TEXT_MAX, c.key);
				break;
			case 'PgInteger':
				s = whole;
				break;
			case 'PgTimestamp':
				s = instant;
				break;
			case 'PgDateString':
				s = day;
				break;
			case 'PgBoolean':
				s = v.boolean();
				break;
			default:
				throw new Error(`transfer: no format for ${section.key}.${c.key}`);
		}
	}
	return c.column.notNull ? s : v.nullable(s);
}

function rowSchema(section: SectionInfo) {
	const entries = section.columns
		.filter((c) => c.ref !== 'event')
		.map((c) => [c.key, columnSchema(section, c)] as const);
	return v.strictObject(Object.fromEntries(entries));
}

function sectionSchema(section: SectionInfo): v.GenericSchema {
	const row = rowSchema(section);
	if (section.single === 'required') return row;
	if (section.single === 'optional') return v.nullable(row);
	return v.pipe(v.array(row), v.maxLength(MAX_ROWS));
}

const person = v.strictObject({
	ref,
	name: importedText(200, 'name'),
	email: v.pipe(v.string(), v.maxLength(254), v.email())
});

export const documentSchema = v.strictObject({
	format: v.literal(FORMAT),
	event: rowSchema(EVENT_INFO),
	people: v.pipe(v.array(person), v.maxLength(MAX_ROWS)),
	...Object.fromEntries(SECTION_INFO.map((s) => [s.key, sectionSchema(s)]))
});

/** The rows of a section as a list, whether it is written as a list or a single object. */
export function rowsOf(doc: EventDocument, section: SectionInfo): DocRow[] {
	const value = doc[section.key];
	if (section.single) return value ? [value as DocRow] : [];
	return value as DocRow[];
}
