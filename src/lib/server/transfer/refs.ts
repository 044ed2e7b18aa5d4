import { m } from '$lib/paraglide/messages';
import { rowsOf, type DocRow, type EventDocument } from './format';
import { EVENT_INFO, PEOPLE, SECTION_INFO, type SectionInfo, type Translate } from './sections';

/**
 * Every reference in the document names a row of the right section, and no ref or key is used
 * twice. Returns what is wrong first, or null. Runs after the shape check, before any write.
 */
export function referenceProblem(doc: EventDocument): string | null {
	const known = new Map<string, Set<number>>();
	const people = new Set<number>();
	const emails = new Set<string>();
	for (const [i, p] of doc.people.entries()) {
		const email = p.email.toLowerCase();
		if (people.has(p.ref) || emails.has(email))
			return m.tr_error_duplicate({ where: `people[${i}]` });
		people.add(p.ref);
		emails.add(email);
	}
	known.set(PEOPLE, people);
	for (const section of SECTION_INFO.filter((s) => s.hasId)) {
		const ids = new Set<number>();
		for (const [i, row] of rowsOf(doc, section).entries()) {
			if (ids.has(row.id as number))
				return m.tr_error_duplicate({ where: `${section.key}[${i}].id` });
			ids.add(row.id as number);
		}
		known.set(section.key, ids);
	}
	const event = rowProblem(EVENT_INFO, doc.event, 'event', known);
	if (event) return event;
	for (const section of SECTION_INFO) {
		const rows = rowsOf(doc, section);
		const keys = new Set<string>();
		const keyColumns = section.keyColumns.filter((k) => k in (rows[0] ?? {}));
		for (const [i, row] of rows.entries()) {
			const where = section.single ? section.key : `${section.key}[${i}]`;
			const problem = rowProblem(section, row, where, known);
			if (problem) return problem;
			if (section.hasId || !keyColumns.length) continue;
			const key = JSON.stringify(keyColumns.map((k) => row[k]));
			if (keys.has(key)) return m.tr_error_duplicate({ where });
			keys.add(key);
		}
	}
	return null;
}

function rowProblem(
	section: SectionInfo,
	row: DocRow,
	where: string,
	known: Map<string, Set<number>>
): string | null {
	for (const c of section.columns) {
		const value = row[c.key];
		if (value === null || value === undefined || c.ref === 'event') continue;
		if (c.ref) {
			if (!known.get(c.ref)!.has(value as number)) {
				return m.tr_error_reference({ where: `${where}.${c.key}`, target: c.ref });
			}
		} else if (c.json?.renumber) {
			let missing: string | null = null;
			const check: Translate = (target, id) => {
				if (!known.get(target)!.has(id)) missing ??= target;
				return id;
			};
			c.json.renumber(value as never, check);
			if (missing) return m.tr_error_reference({ where: `${where}.${c.key}`, target: missing });
		}
	}
	return null;
}
