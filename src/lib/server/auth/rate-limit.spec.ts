import { describe, expect, it } from 'vitest';
import { domainError } from '../../../../tests/fixtures/domain-error';
import { useTestDb } from '../../../../tests/fixtures/db';
import { LIMITS, limitEmailLink, limitPasswordSignIn, limitSignUp } from './rate-limit';

useTestDb();

// A venue: everyone behind one public address. Each test uses its own address and e-mails,
// so the counters of one test never reach another.
let venues = 0;
const venue = () => `203.0.113.${++venues}`;
const people = (n: number, tag: string) =>
	Array.from({ length: n }, (_, i) => `person-${tag}-${i}@example.org`);

/** How many of the calls were let through; a refusal must be `rate_limited`, nothing else. */
async function allowed(calls: (() => Promise<void>)[]): Promise<number> {
	const results = await Promise.all(
		calls.map((call) =>
			call().then(
				() => true,
				(e: { kind?: string }) => {
					if (e.kind !== 'rate_limited') throw e;
					return false;
				}
			)
		)
	);
	return results.filter(Boolean).length;
}

// Hundreds of upserts per test; PGlite on a busy machine needs longer than the default.
describe('sign-in limits in a crowded venue', { timeout: 180_000 }, () => {
	it('lets 150 people behind one address sign up, ask for a link twice and sign in', async () => {
		const address = venue();
		const emails = people(150, 'nat');
		expect(await allowed(emails.map(() => () => limitSignUp(address)))).toBe(150);
		// Everyone asks for a link, and asks again because the first mail is slow.
		for (let round = 0; round < 2; round++) {
			expect(await allowed(emails.map((e) => () => limitEmailLink(e, address)))).toBe(150);
		}
		expect(await allowed(emails.map((e) => () => limitPasswordSignIn(e, address)))).toBe(150);
	});

	it('refuses the 31st request for one e-mail address, links and passwords alike', async () => {
		const address = venue();
		const email = 'flooded@example.org';
		const links = Array.from({ length: 31 }, () => () => limitEmailLink(email, address));
		expect(await allowed(links)).toBe(LIMITS.linkPerEmail.max);
		const signIns = Array.from({ length: 31 }, () => () => limitPasswordSignIn(email, address));
		expect(await allowed(signIns)).toBe(LIMITS.signInPerEmail.max);
		// From another address the inbox is still protected: the limit is the e-mail's own.
		const e = await domainError(() => limitEmailLink(email, venue()));
		expect(e.kind).toBe('rate_limited');
	});

	it('does not let one flooded inbox use up the address the venue shares', async () => {
		const address = venue();
		const flood = Array.from(
			{ length: 500 },
			() => () => limitEmailLink('me@example.org', address)
		);
		expect(await allowed(flood)).toBe(LIMITS.linkPerEmail.max);
		// Were the refused requests counted against the address, 500 > its ceiling would lock
		// everyone below out.
		const emails = people(150, 'after-flood');
		expect(await allowed(emails.map((e) => () => limitEmailLink(e, address)))).toBe(150);
	});

	it('still caps one address that asks for links to many inboxes', async () => {
		const address = venue();
		const emails = people(LIMITS.linkPerIp.max + 1, 'spray');
		expect(await allowed(emails.map((e) => () => limitEmailLink(e, address)))).toBe(
			LIMITS.linkPerIp.max
		);
		// Another address is not affected.
		await limitEmailLink(emails[0], venue());
	});
});
