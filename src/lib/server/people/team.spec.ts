import { desc, eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { useTestDb } from '../../../../tests/fixtures/db';
import { actorOf, grantRole, makeEvent, makeUser } from '../../../../tests/fixtures/factories';
import { hasEventPermission } from '../auth/guards';
import { db, schema } from '../db';
import { DomainError } from '../core/errors';
import {
	acceptInvite,
	describeInvite,
	inviteToTeam,
	listTeam,
	removeFromTeam,
	revokeInvite
} from './team';

useTestDb();

async function inviteToken(email: string): Promise<string> {
	const [mail] = await db()
		.select()
		.from(schema.outbox)
		.where(eq(schema.outbox.to, email))
		.orderBy(desc(schema.outbox.id))
		.limit(1);
	return mail.text.match(/\/invite\/([a-z0-9]+)/)![1];
}

describe('team', () => {
	it('an invite link gives its role on that event once, and only that event', async () => {
		const { event, organiser } = await makeEvent();
		const other = await makeEvent();
		await inviteToTeam(
			organiser,
			event.id,
			{ email: 'fac@example.org', role: 'facilitator' },
			'http://t'
		);
		const token = await inviteToken('fac@example.org');
		expect((await describeInvite(token)).eventName).toBe(event.name);
		const person = actorOf(await makeUser({ email: 'fac@example.org' }));
		expect(await hasEventPermission(person, event.id, 'event.view_manage')).toBe(false);
		await acceptInvite(person, token);
		expect(await hasEventPermission(person, event.id, 'event.view_manage')).toBe(true);
		expect(await hasEventPermission(person, event.id, 'event.edit')).toBe(false);
		expect(await hasEventPermission(person, other.event.id, 'event.view_manage')).toBe(false);
		await expect(acceptInvite(actorOf(await makeUser()), token)).rejects.toThrow(DomainError);
		const team = await listTeam(organiser, event.id);
		expect(team.members.map((m) => m.role).sort()).toEqual(['facilitator', 'organiser']);
		expect(team.pending).toHaveLength(0);
	});

	it('a withdrawn invite no longer works', async () => {
		const { event, organiser } = await makeEvent();
		await inviteToTeam(
			organiser,
			event.id,
			{ email: 'gone@example.org', role: 'organiser' },
			'http://t'
		);
		const token = await inviteToken('gone@example.org');
		const { pending } = await listTeam(organiser, event.id);
		await revokeInvite(organiser, event.id, pending[0].id);
		await expect(acceptInvite(actorOf(await makeUser()), token)).rejects.toThrow(DomainError);
	});

	it('the last organiser cannot be removed, even by two organisers removing each other at once', async () => {
		const { event, organiser } = await makeEvent();
		const second = actorOf(await makeUser());
		await grantRole(event.id, second.id, 'organiser');
		await Promise.allSettled([
			removeFromTeam(organiser, event.id, second.id, 'organiser'),
			removeFromTeam(second, event.id, organiser.id, 'organiser')
		]);
		const left = await db()
			.select()
			.from(schema.eventRoles)
			.where(eq(schema.eventRoles.eventId, event.id));
		expect(left.filter((r) => r.role === 'organiser')).toHaveLength(1);
		const [last] = left;
		await expect(
			removeFromTeam(
				actorOf({ id: last.userId, isAdmin: false }),
				event.id,
				last.userId,
				'organiser'
			)
		).rejects.toThrow(DomainError);
	});
});
