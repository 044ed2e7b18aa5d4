import * as v from 'valibot';
import { m } from '$lib/paraglide/messages';
import { invalid } from '../core/errors';
import { documentSchema, MAX_BYTES, type EventDocument } from './format';
import { referenceProblem } from './refs';

// Keys that could reach an object's prototype; a document never needs them.
const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

const refuse = (message: string) => invalid({ file: message }, message);

/** The uploaded file as a checked document; anything else is refused before a row is written. */
export async function readDocument(input: unknown): Promise<EventDocument> {
	const text = await readText(input);
	let parsed: unknown;
	try {
		parsed = JSON.parse(text, function (key, value) {
			if (FORBIDDEN_KEYS.has(key)) throw new Error(key);
			return value;
		});
	} catch (e) {
		const key = e instanceof Error && FORBIDDEN_KEYS.has(e.message) ? e.message : null;
		throw refuse(key ? m.tr_error_key({ key }) : m.tr_error_not_json());
	}
	if (
		!parsed ||
		typeof parsed !== 'object' ||
		(parsed as { format?: unknown }).format !== documentFormat
	) {
		throw refuse(m.tr_error_format());
	}
	const result = v.safeParse(documentSchema, parsed);
	if (!result.success) {
		const issue = result.issues[0];
		throw refuse(m.tr_error_invalid({ where: v.getDotPath(issue) ?? '', problem: issue.message }));
	}
	const doc = result.output as EventDocument;
	const problem = referenceProblem(doc);
	if (problem) throw refuse(problem);
	return doc;
}

const documentFormat = documentSchema.entries.format.literal;

async function readText(input: unknown): Promise<string> {
	if (input instanceof Blob) {
		if (input.size === 0) throw refuse(m.tr_error_no_file());
		if (input.size > MAX_BYTES) throw refuse(tooLarge());
		return input.text();
	}
	if (typeof input === 'string') {
		if (Buffer.byteLength(input) > MAX_BYTES) throw refuse(tooLarge());
		return input;
	}
	throw refuse(m.tr_error_no_file());
}

const tooLarge = () => m.tr_error_too_large({ max: MAX_BYTES / 1024 / 1024 });
