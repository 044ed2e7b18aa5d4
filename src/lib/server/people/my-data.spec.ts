import { describe, expect, it } from 'vitest';
import { busyPerson } from '../../../../tests/fixtures/account';
import { useTestDb } from '../../../../tests/fixtures/db';
import { actorOf, makeUser } from '../../../../tests/fixtures/factories';
import { isDomainError } from '../core/errors';
import { personalData } from './my-data';

useTestDb({ poolSize: 5 });

describe('downloading your data', () => {
	it('holds everything the app keeps about the person, and no secrets', async () => {
		const z = await busyPerson();
		const doc = JSON.parse(JSON.stringify(await personalData(z.person)));
		expect(doc.format).toBe('commonspace-personal-data/1');
		expect(doc.profile).toMatchObject({ name: z.name, email: z.email, isAdmin: false });
		expect(doc.eventRoles).toMatchObject([{ role: 'reviewer' }]);
		expect(doc.orders).toMatchObject([
			{ attendeeName: z.name, answers: { dietary: 'No nuts', access: 'Step-free route' } }
		]);
		expect(doc.tickets).toMatchObject([{ name: z.name, eventSlug: z.event.slug }]);
		// Joined with the e-mail in capitals: matched whatever the case.
		expect(doc.waitingList).toMatchObject([{ email: z.email.toUpperCase(), status: 'waiting' }]);
		expect(doc.talks.submitted).toMatchObject([
			{ title: 'Quill co-op', accessNeeds: 'A chair on stage' }
		]);
		expect(doc.talks.coPresenting).toMatchObject([{ talkId: z.talks.coPresented.id }]);
		expect(doc.talks.coPresenting[0].confirmedAt).not.toBeNull();
		expect(doc.talkReviews).toMatchObject([{ talkId: z.talks.reviewed.id, score: 4 }]);
		expect(doc.proposals.created.map((p: { id: number }) => p.id)).toEqual([z.proposals.mine.id]);
		expect(doc.proposals.convening.map((p: { id: number }) => p.id).sort()).toEqual(
			[z.proposals.mine.id, z.proposals.theirs.id].sort()
		);
		expect(doc.proposalVersions.map((v: { version: number }) => v.version)).toContain(2);
		expect(doc.votes.dots).toEqual(
			expect.arrayContaining([
				expect.objectContaining({ proposalId: z.proposals.target.id, dots: 2, round: 'Round 1' }),
				expect.objectContaining({ proposalId: z.proposals.theirs.id, dots: 1 })
			])
		);
		expect(doc.votes.budgets).toMatchObject([{ used: 3, budget: 5 }]);
		expect(doc.comments.map((c: { kind: string }) => c.kind).sort()).toEqual([
			'comment',
			'suggestion'
		]);
		expect(doc.interest).toMatchObject([{ proposalId: z.proposals.target.id }]);
		expect(doc.sessionAttendance).toMatchObject([{ sessionId: z.session.id }]);
		expect(doc.sessionPresence).toMatchObject([{ sessionId: z.session.id }]);
		expect(doc.mergeRequests).toMatchObject([{ requestedByYou: true, decidedByYou: false }]);
		expect(doc.harvest.changes.map((c: { field: string }) => c.field).sort()).toEqual([
			'action',
			'insight',
			'question'
		]);
		expect(doc.harvest.changes[0].session).toBe('Shared ink');
		expect(doc.harvest.items.map((i: { text: string }) => i.text).sort()).toEqual([
			'Ink is a commons',
			'Start an ink library'
		]);
		expect(doc.harvest.noteTaking).toHaveLength(1);
		expect(doc.harvest.continuing).toMatchObject([{ contact: z.contact }]);
		expect(doc.directoryEntries).toMatchObject([{ organisation: 'Quill Cooperative' }]);
		expect(doc.activity.length).toBeGreaterThan(5);
		expect(doc.mail.length).toBeGreaterThan(0);
		expect(doc.signInSessions).toHaveLength(1);
		// Secrets never leave: no hashes of any kind, no Stripe internals.
		const text = JSON.stringify(doc);
		expect(text).not.toMatch(/hash|secret|token|stripe/i);
	});

	it("gives only the signed-in person's own data, and nothing to a visitor", async () => {
		const z = await busyPerson();
		const stranger = actorOf(await makeUser({ name: 'Stranger' }));
		const doc = JSON.stringify(await personalData(stranger));
		expect(doc).not.toContain(z.email);
		expect(doc).not.toContain(z.name);
		const refused = await personalData(null).catch((e) => e);
		expect(isDomainError(refused) && refused.kind).toBe('unauthenticated');
	});
});
