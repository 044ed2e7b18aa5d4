import { error, fail, isActionFailure, redirect, type ActionFailure } from '@sveltejs/kit';
import type * as v from 'valibot';
import { parseForm, type FieldErrors, type FormValues } from '$lib/schemas/form';
import { isDomainError, type DomainError } from './errors';
import { m } from '$lib/paraglide/messages';
import { log } from './log';
import { once, takeActionId } from './once';

/** Headers every answer carries (hooks.server.ts, and the live stream served on the socket). */
export const ANSWER_HEADERS = {
	'X-Content-Type-Options': 'nosniff',
	'Referrer-Policy': 'same-origin'
} as const;

/** What every failed action returns: which form on the page, what is wrong, what was typed. */
export interface FormFailure {
	form?: string;
	errors: FieldErrors;
	values: FormValues;
}

export function invalidForm(errors: FieldErrors, values: FormValues, form?: string) {
	return fail(400, { form, errors, values } satisfies FormFailure);
}

/**
 * Turn a domain error from an action into a form failure that keeps what was typed. Access
 * errors become HTTP errors (or a trip to sign-in); anything unexpected is rethrown.
 */
export function failWith(
	e: unknown,
	values: FormValues,
	options: { url?: URL; form?: string } = {}
) {
	if (!isDomainError(e)) throw e;
	logDomainError(e);
	const { url, form } = options;
	switch (e.kind) {
		case 'invalid': {
			const errors = Object.keys(e.fields).length ? e.fields : { _form: e.message };
			return fail(400, { form, errors, values } satisfies FormFailure);
		}
		case 'rate_limited':
		case 'conflict':
			return fail(e.status, { form, errors: { _form: e.message }, values } satisfies FormFailure);
		case 'unauthenticated':
			if (url) redirect(303, signInUrl(url));
			error(401, e.message);
			break;
		default:
			error(e.status, e.message);
	}
}

/**
 * The path of a form action once its guard has passed: check the form with its schema, make the
 * domain call, and answer with the form's name and what the call returned, or with the errors
 * beside what was typed. The form is named before checking, so errors land beside it.
 * A form sent with an action id (a phone's queued action, `core/once.ts`) by a signed-in person
 * is applied once: a repeat gets the first answer and changes nothing.
 */
export async function formAction<
	S extends v.GenericSchema,
	R extends Record<string, unknown>,
	F extends object = never
>(
	{ request, url, locals }: { request: Request; url: URL; locals?: App.Locals },
	schema: S,
	formOf: string | ((data: FormData) => string),
	run: (
		input: v.InferOutput<S>,
		sent: { form: string; values: FormValues }
	) => Promise<R | ActionFailure<F>>
) {
	const data = await request.formData();
	const form = typeof formOf === 'string' ? formOf : formOf(data);
	const apply = async () => {
		const parsed = parseForm(schema, data);
		if (!parsed.success) return invalidForm(parsed.errors, parsed.values, form);
		try {
			const answer = await run(parsed.data, { form, values: parsed.values });
			return isActionFailure(answer) ? answer : { form, ...answer };
		} catch (e) {
			return failWith(e, parsed.values, { url, form });
		}
	};
	return applyOnce(data, locals, form, apply);
}

/**
 * Run an action's `apply` once per action id when the form carries one (see `formAction`); the
 * few actions that parse their form in steps of their own come here directly.
 */
export function applyOnce<T>(
	data: FormData,
	locals: App.Locals | undefined,
	form: string,
	apply: () => Promise<T>
): Promise<T | ActionFailure<FormFailure>> {
	const actionId = takeActionId(data);
	if (actionId === 'malformed')
		return Promise.resolve(invalidForm({ _form: m.off_malformed_id() }, {}, form));
	const user = locals?.user;
	if (!actionId || !user) return apply();
	return once(user.id, actionId, apply);
}

/** A form named after the id it sends (`session-12`), for the forms a page repeats per item. */
export const formFor = (prefix: string, field: string) => (data: FormData) =>
	`${prefix}-${String(data.get(field) ?? '').replace(/\D/g, '')}`;

/**
 * A save refused because someone changed the text since it was started (409): what was typed
 * stays, and with `current` (the text as it is now) the form shows both and the next save is
 * based on the version shown.
 */
export function failStale<Current extends { version: number }>(
	form: string,
	errors: FieldErrors,
	values: FormValues,
	current?: Current
) {
	const failure: FormFailure = { form, errors, values };
	if (!current) return fail(409, failure);
	return fail(409, {
		...failure,
		values: { ...values, version: String(current.version) },
		current
	});
}

/** Run a load's domain call, turning domain errors into HTTP errors (or a sign-in redirect). */
export async function orHttpError<T>(url: URL, run: () => Promise<T>): Promise<T> {
	try {
		return await run();
	} catch (e) {
		if (!isDomainError(e)) throw e;
		logDomainError(e);
		if (e.kind === 'unauthenticated') redirect(303, signInUrl(url));
		error(e.status, e.message);
	}
}

/** Expected failures are worth a line too: a burst of refusals is how trouble shows. */
function logDomainError(e: DomainError): void {
	log.info({ kind: e.kind, message: e.message, fields: Object.keys(e.fields) }, 'domain error');
}

export function signInUrl(url: URL): string {
	return `/signin?redirectTo=${encodeURIComponent(url.pathname + url.search)}`;
}

/**
 * Where to send someone after sign-in (or a language change): only a path on this origin, never
 * another site. The target is read the way a browser reads it (WHATWG URL: tabs and newlines
 * dropped, backslashes as slashes, leading spaces stripped), and what comes back is the parsed
 * URL's own path, query and fragment, so no header-breaking character gets through either.
 */
export function safeRedirect(
	target: string | null | undefined,
	origin: string,
	fallback = '/'
): string {
	if (!target) return fallback;
	let url: URL;
	try {
		url = new URL(target, origin);
	} catch {
		return fallback;
	}
	if (url.origin !== new URL(origin).origin) return fallback;
	const path = url.pathname + url.search + url.hash;
	// `/.//evil.example` resolves to the path `//evil.example`, which as a Location is another host.
	if (!path.startsWith('/') || path.startsWith('//')) return fallback;
	return path;
}
