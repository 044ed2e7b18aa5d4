import * as v from 'valibot';

export type FieldErrors = Record<string, string>;
export type FormValues = Record<string, string>;

/** Fields whose contents are never sent back to the browser. */
const SECRET_FIELDS = new Set(['password', 'newPassword', 'confirmPassword']);

/** The submitted text fields, minus secrets, to refill a form after an error. */
export function formValues(data: FormData): FormValues {
	const values: FormValues = {};
	for (const [key, value] of data) {
		if (typeof value === 'string' && !SECRET_FIELDS.has(key)) values[key] = value;
	}
	return values;
}

/** A form that sends nothing but its button. */
export const noFields = v.object({});

export function fieldErrors(issues: v.BaseIssue<unknown>[]): FieldErrors {
	const errors: FieldErrors = {};
	for (const issue of issues) {
		const key = v.getDotPath(issue) ?? '_form';
		errors[key] ??= issue.message;
	}
	return errors;
}

export type Parsed<S extends v.GenericSchema> =
	| { success: true; data: v.InferOutput<S>; values: FormValues }
	| { success: false; errors: FieldErrors; values: FormValues };

/** Validate a submitted form with a shared schema; on failure say what is wrong per field. */
export function parseForm<S extends v.GenericSchema>(schema: S, data: FormData): Parsed<S> {
	const values = formValues(data);
	const input: Record<string, unknown> = {};
	for (const key of new Set(data.keys())) {
		const all = data.getAll(key).filter((x): x is string => typeof x === 'string');
		input[key] = all.length > 1 ? all : all[0];
	}
	const result = v.safeParse(schema, input);
	if (result.success) return { success: true, data: result.output, values };
	return { success: false, errors: fieldErrors(result.issues), values };
}
