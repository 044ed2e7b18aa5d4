import { fail, isActionFailure, isHttpError, isRedirect, redirect } from '@sveltejs/kit';
import { describe, expect, it } from 'vitest';
import { m } from '$lib/paraglide/messages';
import { sessionSchema } from '$lib/schemas/agenda';
import { forbidden, invalid } from './errors';
import { formAction, formFor, safeRedirect } from './http';

const ORIGIN = 'http://localhost:4173';
const FALLBACK = '/manage';

/** Where a browser at ORIGIN goes when answered `Location: location`, and whether kit sends it. */
function followed(location: string) {
	let thrown: unknown;
	try {
		redirect(303, location);
	} catch (e) {
		thrown = e;
	}
	// A location kit cannot put in a header is a 500, not a redirect.
	expect(isRedirect(thrown), `kit accepts ${JSON.stringify(location)}`).toBe(true);
	return new URL(location, ORIGIN);
}

// What people type or are tricked into following after sign-in. Browsers drop tabs and newlines
// anywhere in a URL, read a backslash as a slash and strip leading spaces and control
// characters; some of these only turn hostile after the query string has been decoded once.
const HOSTILE = [
	'/\t/localhost:4999/phish',
	'/\n/localhost:4999/phish',
	'/\r/localhost:4999/phish',
	'/\r\n/evil.example',
	'\t//evil.example',
	'/\t\\evil.example',
	'//evil.example',
	'///evil.example',
	'////evil.example/x',
	'/\\evil.example',
	'\\\\evil.example',
	'\\/evil.example',
	'/\\/evil.example',
	' //evil.example',
	'\u0000//evil.example',
	'\u001f//evil.example',
	' \n\t/\\evil.example',
	'/./\\evil.example',
	'/.//evil.example',
	'/..//evil.example',
	'/a/..//evil.example',
	'/%2e/%2e//evil.example',
	'http://evil.example/',
	'https://evil.example',
	'HTTP://evil.example',
	'http:evil.example',
	'http:/evil.example',
	'https:\\\\evil.example',
	'ftp://evil.example',
	'//localhost:4999',
	'http://localhost:4999/',
	'http://localhost:4173@evil.example/',
	'//localhost:4173@evil.example',
	'javascript:alert(document.domain)',
	'JaVaScRiPt:alert(1)',
	' javascript:alert(1)',
	'java\tscript:alert(1)',
	'\njavascript:alert(1)',
	'data:text/html,<script>alert(1)</script>',
	'vbscript:msgbox(1)',
	'blob:http://evil.example/x',
	'mailto:x@evil.example',
	'/\u3002evil.example',
	'//evil.example%2F@localhost:4173',
	'//%65vil.example'
];

// Encoded forms stay encoded in the path: the browser never decodes them into a new host.
const KEPT_ENCODED = ['/%09/localhost:4999/phish', '/%2F%2Fevil.example', '/%5Cevil.example'];

describe('safeRedirect', () => {
	for (const target of HOSTILE) {
		it(`never leaves the origin for ${JSON.stringify(target)}`, () => {
			const location = safeRedirect(target, ORIGIN, FALLBACK);
			expect(location.startsWith('/')).toBe(true);
			expect(followed(location).origin).toBe(ORIGIN);
			// Nothing a browser could read as another host is passed through.
			expect(location).not.toMatch(/^[/\\]{2}|^\/\\/);
		});
	}

	it('the reported phish (`/`, tab, `/localhost:4999/phish`) goes to the fallback', () => {
		expect(safeRedirect('/\t/localhost:4999/phish', ORIGIN, FALLBACK)).toBe(FALLBACK);
		expect(safeRedirect('/\n/localhost:4999/phish', ORIGIN, FALLBACK)).toBe(FALLBACK);
	});

	for (const target of KEPT_ENCODED) {
		it(`keeps ${target} as a path on this origin`, () => {
			const location = safeRedirect(target, ORIGIN, FALLBACK);
			expect(location).toBe(target);
			const url = followed(location);
			expect(url.origin).toBe(ORIGIN);
			expect(url.pathname).toBe(target);
		});
	}

	it('a newline inside a path is no server error: the path comes back without it', () => {
		const location = safeRedirect('/e/x/tickets\n?code=A', ORIGIN, FALLBACK);
		expect(location).toBe('/e/x/tickets?code=A');
		expect(followed(location).origin).toBe(ORIGIN);
	});

	it('same-origin paths, with query and fragment, are kept as they are', () => {
		for (const target of [
			'/',
			'/manage',
			'/e/open-2019/tickets?code=SPEAK-2027',
			'/e/open-2019/marketplace#proposal-3',
			'/e/open-2019/sessions/4/harvest?x=%2F%2Fevil.example'
		]) {
			expect(safeRedirect(target, ORIGIN, FALLBACK)).toBe(target);
		}
	});

	it('an absolute URL of this origin becomes its path', () => {
		expect(safeRedirect(`${ORIGIN}/e/open-2019?x=1#y`, ORIGIN, FALLBACK)).toBe(
			'/e/open-2019?x=1#y'
		);
	});

	it('nothing, or an unparseable target, goes to the fallback', () => {
		expect(safeRedirect(null, ORIGIN, FALLBACK)).toBe(FALLBACK);
		expect(safeRedirect(undefined, ORIGIN, FALLBACK)).toBe(FALLBACK);
		expect(safeRedirect('', ORIGIN, FALLBACK)).toBe(FALLBACK);
		expect(safeRedirect('http://[::1', ORIGIN, FALLBACK)).toBe(FALLBACK);
		expect(safeRedirect('/x', ORIGIN)).toBe('/x');
		expect(safeRedirect('//evil.example', ORIGIN)).toBe('/');
	});
});

// The one path every form action takes after its guard: what the browser gets back in each case.

const post = (fields: Record<string, string>) => {
	const body = new FormData();
	for (const [k, v] of Object.entries(fields)) body.set(k, v);
	return {
		request: new Request('http://t/e/x?/here', { method: 'POST', body }),
		url: new URL('http://t/e/x')
	};
};
const bySession = formFor('session', 'sessionId');

describe('formAction', () => {
	it('answers with the form name and what the domain call returned', async () => {
		let got: unknown;
		const answer = await formAction(
			post({ sessionId: '12' }),
			sessionSchema,
			bySession,
			async (x) => {
				got = x;
				return { saved: true };
			}
		);
		expect(got).toEqual({ sessionId: 12 });
		expect(answer).toEqual({ form: 'session-12', saved: true });
	});

	it('refuses a bad form beside the form that sent it, keeping what was typed, without calling', async () => {
		let called = false;
		const answer = await formAction(
			post({ sessionId: 'x1' }),
			sessionSchema,
			bySession,
			async () => {
				called = true;
				return {};
			}
		);
		expect(called).toBe(false);
		expect(isActionFailure(answer) && answer.status).toBe(400);
		expect(isActionFailure(answer) && answer.data).toEqual({
			form: 'session-1',
			errors: { sessionId: m.error_required() },
			values: { sessionId: 'x1' }
		});
	});

	it('turns a refusal into field errors, and passes a failure the call built on', async () => {
		const refused = await formAction(post({ sessionId: '3' }), sessionSchema, 'mark', async () => {
			throw invalid({ _form: m.error_needs_ticket() });
		});
		expect(isActionFailure(refused) && refused.data).toEqual({
			form: 'mark',
			errors: { _form: m.error_needs_ticket() },
			values: { sessionId: '3' }
		});
		const stale = await formAction(post({ sessionId: '3' }), sessionSchema, 'mark', async () =>
			fail(409, { form: 'mark', current: 1 })
		);
		expect(isActionFailure(stale) && [stale.status, stale.data]).toEqual([
			409,
			{ form: 'mark', current: 1 }
		]);
	});

	it('lets access errors through as HTTP errors', async () => {
		const e = await formAction(post({ sessionId: '3' }), sessionSchema, 'mark', async () => {
			throw forbidden();
		}).catch((x: unknown) => x);
		expect(isHttpError(e, 403)).toBe(true);
	});
});
