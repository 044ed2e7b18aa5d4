import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { domainError } from '../../../../tests/fixtures/domain-error';
import { useTestDb } from '../../../../tests/fixtures/db';
import { harvestSessions } from '../../../../tests/fixtures/harvest';
import { db, schema } from '../db';
import { publishedSessionPage } from './session-page';

useTestDb();

describe('the page of one session', () => {
	it('shows the proposal, conveners, room and block, with the description sanitised', async () => {
		const { event, session, blocks } = await harvestSessions();
		await db()
			.update(schema.proposals)
			.set({ description: 'We **share** servers.<script>alert(1)</script>' })
			.where(eq(schema.proposals.id, session.proposalId));
		const page = await publishedSessionPage(event.id, session.id);
		expect(page.title).toMatch(/^Proposal \d$/);
		expect(page.question).toBe('How do we share servers?');
		expect(page.room).toBe('Room 1');
		expect(page.block.startsAt).toEqual(blocks[0].startsAt);
		expect(page.conveners).toHaveLength(1);
		expect(page.descriptionHtml).toContain('<strong>share</strong>');
		expect(page.descriptionHtml).not.toContain('<script');
	});

	it('is not found for an unpublished agenda or another event', async () => {
		const draft = await harvestSessions({ publish: false });
		expect(
			(await domainError(() => publishedSessionPage(draft.event.id, draft.session.id))).kind
		).toBe('not_found');
		const other = await harvestSessions();
		expect(
			(await domainError(() => publishedSessionPage(other.event.id, draft.session.id))).kind
		).toBe('not_found');
		// Negative control: the published one is found under its own event.
		expect((await publishedSessionPage(other.event.id, other.session.id)).id).toBe(
			other.session.id
		);
	});
});
