import { and, eq, sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { useTestDb } from '../../../../tests/fixtures/db';
import { domainError } from '../../../../tests/fixtures/domain-error';
import { actorOf, eventInput, makeEvent, makeUser } from '../../../../tests/fixtures/factories';
import { inbox } from '../../../../tests/fixtures/mailbox';
import { db, schema } from '../db';
import { createEvent } from '../events/events';
import { live } from '../live/hub';
import { importEvent } from '../transfer/import';
import {
	listEventCreators,
	mayCreateEvents,
	nameEventCreator,
	setEventCreation,
	startingPoints,
	unnameEventCreator
} from './event-creators';
import { requestSignInLink } from './users';

useTestDb();

describe('who may start events', () => {
	it('is anyone signed in by default, and only named people once the admin says so', async () => {
		const admin = actorOf(await makeUser({ admin: true }));
		const ana = actorOf(await makeUser());
		const bo = await makeUser();
		// Negative control: with the default rule anyone may start an event.
		expect((await createEvent(ana, eventInput())).slug).toBeTruthy();
		await setEventCreation(admin, 'named');
		expect(await mayCreateEvents(ana)).toBe(false);
		expect((await domainError(() => createEvent(ana, eventInput()))).kind).toBe('forbidden');
		expect((await domainError(() => importEvent(ana, '{}'))).kind).toBe('forbidden');
		expect(await mayCreateEvents(admin)).toBe(true);
		await nameEventCreator(admin, ` ${bo.email.toUpperCase()} `);
		expect((await listEventCreators(admin)).map((x) => x.id)).toEqual([bo.id]);
		expect((await createEvent(actorOf(bo), eventInput())).slug).toBeTruthy();
		await unnameEventCreator(admin, bo.id);
		expect(await mayCreateEvents(actorOf(bo))).toBe(false);
		// Only the admin changes the rule or the list.
		expect((await domainError(() => setEventCreation(ana, 'anyone'))).kind).toBe('forbidden');
		expect((await domainError(() => nameEventCreator(ana, bo.email))).kind).toBe('forbidden');
		expect((await domainError(() => nameEventCreator(admin, 'nobody@x.org'))).kind).toBe('invalid');
	});

	it('shows "Manage" to the team and to creators, and lands attendees on their tickets', async () => {
		const admin = actorOf(await makeUser({ admin: true }));
		// The specs of this file share one database: start from the default rule.
		await setEventCreation(admin, 'anyone');
		const { organiser } = await makeEvent();
		const attendee = actorOf(await makeUser());
		expect(await startingPoints(organiser)).toEqual({ manage: true, landing: '/manage' });
		expect(await startingPoints(attendee)).toEqual({ manage: true, landing: '/tickets' });
		await setEventCreation(admin, 'named');
		expect(await startingPoints(attendee)).toEqual({ manage: false, landing: '/tickets' });
		expect(await startingPoints(admin)).toEqual({ manage: true, landing: '/manage' });
		expect(await startingPoints(null)).toEqual({ manage: false, landing: '/' });
	});

	it("keeps the header's answer per person, forgotten when the team, the person or the rule changes", async () => {
		const admin = actorOf(await makeUser({ admin: true }));
		await setEventCreation(admin, 'anyone');
		const { event } = await makeEvent();
		await setEventCreation(admin, 'named');
		const bea = await makeUser();
		const actor = actorOf(bea);
		// Listening, as a running instance is: only then are answers kept.
		const unsubscribe = await live().subscribe(event.id, () => {});
		const manages = async () => (await startingPoints(actor)).manage;
		const r = schema.eventRoles;
		const role = { eventId: event.id, userId: bea.id, role: 'facilitator' as const };
		expect(await manages()).toBe(false);

		// Negative control: a change the database does not announce is not seen, so the answer
		// is kept, and it is the announcement that makes the cache forget.
		await db().execute(sql`ALTER TABLE event_roles DISABLE TRIGGER event_roles_cache_invalidate`);
		await db().insert(r).values(role);
		expect(await manages()).toBe(false);
		await db()
			.delete(r)
			.where(and(eq(r.eventId, event.id), eq(r.userId, bea.id)));
		await db().execute(sql`ALTER TABLE event_roles ENABLE TRIGGER event_roles_cache_invalidate`);

		// Joining a team (a new row), leaving it, being named, the rule: each is heard.
		await db().insert(r).values(role);
		await expect.poll(manages, { timeout: 3000 }).toBe(true);
		await db()
			.delete(r)
			.where(and(eq(r.eventId, event.id), eq(r.userId, bea.id)));
		await expect.poll(manages, { timeout: 3000 }).toBe(false);
		await db().update(schema.users).set({ createsEvents: true }).where(eq(schema.users.id, bea.id));
		await expect.poll(manages, { timeout: 3000 }).toBe(true);
		await db()
			.update(schema.users)
			.set({ createsEvents: false })
			.where(eq(schema.users.id, bea.id));
		await expect.poll(manages, { timeout: 3000 }).toBe(false);
		await db().update(schema.instanceSettings).set({ eventCreation: 'anyone' });
		await expect.poll(manages, { timeout: 3000 }).toBe(true);
		unsubscribe();
	});

	it('mails a sign-in link that returns to the page that asked', async () => {
		const user = await makeUser();
		await requestSignInLink(user.email, 'http://t', '/e/demo/marketplace/3');
		const [mail] = await inbox(user.email);
		expect(mail.text).toMatch(
			/http:\/\/t\/signin\/link\/[a-z0-9]+\?redirectTo=%2Fe%2Fdemo%2Fmarketplace%2F3/
		);
	});
});
