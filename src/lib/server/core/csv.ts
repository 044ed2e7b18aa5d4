import { stringify } from 'csv-stringify/sync';

// Every CSV the app offers goes through here: UTF-8 with a byte-order mark (so spreadsheets
// read accents and other scripts right), CRLF line ends, quoting by csv-stringify, and no cell
// that a spreadsheet would run as a formula.

export type CsvValue = string | number | Date | null | undefined;

/** A leading =, +, -, @, tab or carriage return would run as a formula: prefix it with '. */
export function formulaSafe(value: CsvValue): string {
	if (value === null || value === undefined) return '';
	const text = value instanceof Date ? value.toISOString() : String(value);
	return /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
}

export function toCsv(header: string[], rows: CsvValue[][]): string {
	return stringify([header, ...rows.map((row) => row.map(formulaSafe))], {
		bom: true,
		record_delimiter: 'windows',
		// csv-stringify quotes a cell holding the record delimiter (CRLF) but not a lone line feed,
		// which would break the row in spreadsheets: quote any cell with a line break.
		quoted_match: /[\r\n]/
	});
}

/** The headers a CSV download answers with. */
export function csvHeaders(filename: string): HeadersInit {
	return {
		'Content-Type': 'text/csv; charset=utf-8',
		'Content-Disposition': `attachment; filename="${filename}"`,
		'Cache-Control': 'private, no-store'
	};
}
