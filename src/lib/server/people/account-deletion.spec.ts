import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { m } from '$lib/paraglide/messages';
import { busyPerson } from '../../../../tests/fixtures/account';
import { useTestDb } from '../../../../tests/fixtures/db';
import { domainError } from '../../../../tests/fixtures/domain-error';
import { actorOf, grantRole, makeUser } from '../../../../tests/fixtures/factories';
import { tracesOf } from '../../../../tests/fixtures/personal-scan';
import { deleteAccount } from './account-deletion';
import { db, schema } from '../db';
import { personalData } from './my-data';
import { openHarvest } from '../harvest/harvest';
import { dotTotals } from '../marketplace/dots';

useTestDb({ poolSize: 5 });

type Z = Awaited<ReturnType<typeof busyPerson>>;
const needles = (z: Z) => [z.name, z.email, z.contact];
const tables = (traces: { table: string }[]) => [...new Set(traces.map((t) => t.table))].sort();

const itemsById = async (ids: number[]) => {
	const rows = await db().select().from(schema.harvestItems);
	return rows.filter((r) => ids.includes(r.id));
};

describe('deleting an account', () => {
	it('leaves no personal data in any table, and keeps shared work as a former participant', async () => {
		const z = await busyPerson();
		// Negative control: the same scan finds the person all over the database beforehand.
		const before = await tracesOf(z.person.id, needles(z));
		expect(
			tables(before.filter((t) => !t.found.startsWith('user '))).length
		).toBeGreaterThanOrEqual(10);
		expect(tables(before.filter((t) => t.found.startsWith('user '))).length).toBeGreaterThanOrEqual(
			15
		);
		const [orderBefore] = await db()
			.select()
			.from(schema.orders)
			.where(eq(schema.orders.buyerId, z.person.id));
		expect((await dotTotals(z.round.id)).get(z.proposals.target.id)).toBe(3);

		await deleteAccount(z.person, {
			confirm: ` ${z.email.toUpperCase()} `,
			keepContributions: true
		});

		expect(await tracesOf(z.person.id, needles(z))).toEqual([]);
		// The organiser's figures stay: same order, amount and status, without who it was.
		const [order] = await db()
			.select()
			.from(schema.orders)
			.where(eq(schema.orders.id, orderBefore.id));
		expect(order).toMatchObject({
			status: orderBefore.status,
			amountCents: orderBefore.amountCents,
			attendeeName: 'a former participant',
			attendeeEmail: '',
			buyerId: null
		});
		// Their dots are gone and every total, summed from the dots, drops with them.
		expect((await dotTotals(z.round.id)).get(z.proposals.target.id)).toBe(1);
		// Harvest items they wrote stay, without an author; shared text stays.
		const items = await itemsById([z.items.insight.id, z.items.action.id, z.items.theirItem.id]);
		expect(items).toHaveLength(3);
		expect(items.filter((i) => i.createdBy === null)).toHaveLength(2);
		const view = await openHarvest(z.other, z.event.id, z.session.id);
		expect(view.harvest.question.value).toBe('How do we share ink?');
		expect(view.items.action[0].owner).toBe('a former participant');
		// Proposals and comments they wrote stay; their own talk is gone.
		const [mine] = await db()
			.select()
			.from(schema.proposals)
			.where(eq(schema.proposals.id, z.proposals.mine.id));
		expect(mine.createdBy).toBeNull();
		const talks = await db().select().from(schema.talks).where(eq(schema.talks.id, z.talks.own.id));
		expect(talks).toEqual([]);
		const logged = await db()
			.select()
			.from(schema.activity)
			.where(eq(schema.activity.action, 'account.deleted'));
		expect(logged.at(-1)).toMatchObject({ actorId: null, eventId: null, data: {} });
		expect((await domainError(() => personalData(z.person))).kind).toBe('unauthenticated');
	});

	it('also removes what they wrote in harvest notes when asked, but not shared text', async () => {
		const z = await busyPerson();
		await deleteAccount(z.person, { confirm: z.email, keepContributions: false });
		const items = await itemsById([z.items.insight.id, z.items.action.id, z.items.theirItem.id]);
		expect(items.map((i) => i.id)).toEqual([z.items.theirItem.id]);
		const changes = await db()
			.select()
			.from(schema.harvestChanges)
			.where(eq(schema.harvestChanges.eventId, z.event.id));
		expect(changes.every((c) => c.userId === z.other.id)).toBe(true);
		const view = await openHarvest(z.other, z.event.id, z.session.id);
		expect(view.harvest.question.value).toBe('How do we share ink?');
		expect(await tracesOf(z.person.id, needles(z))).toEqual([]);
	});

	it('refuses a wrong confirmation and changes nothing', async () => {
		const z = await busyPerson();
		const before = await tracesOf(z.person.id, needles(z));
		const e = await domainError(() =>
			deleteAccount(z.person, { confirm: 'someone@example.org', keepContributions: true })
		);
		expect(e.kind).toBe('invalid');
		expect(e.fields.confirm).toBe(m.ac_error_confirm());
		expect(await tracesOf(z.person.id, needles(z))).toEqual(before);
	});

	it("refuses the instance's only admin until there is another", async () => {
		const admin = await makeUser({ admin: true, name: 'Only Admin' });
		// Nobody else is an admin in this database.
		await db().update(schema.users).set({ isAdmin: false }).where(eq(schema.users.isAdmin, true));
		await db().update(schema.users).set({ isAdmin: true }).where(eq(schema.users.id, admin.id));
		const e = await domainError(() =>
			deleteAccount(actorOf(admin), { confirm: admin.email, keepContributions: true })
		);
		expect(e.kind).toBe('conflict');
		expect(e.message).toMatch(/only administrator/);
		expect(
			await db().select().from(schema.users).where(eq(schema.users.id, admin.id))
		).toHaveLength(1);
		await makeUser({ admin: true });
		await deleteAccount(actorOf(admin), { confirm: admin.email, keepContributions: true });
		expect(await db().select().from(schema.users).where(eq(schema.users.id, admin.id))).toEqual([]);
	});

	it('lets only one of the last two admins go when both delete themselves at once', async () => {
		await db().update(schema.users).set({ isAdmin: false }).where(eq(schema.users.isAdmin, true));
		const admins = [await makeUser({ admin: true }), await makeUser({ admin: true })];
		const outcomes = await Promise.allSettled(
			admins.map((a) => deleteAccount(actorOf(a), { confirm: a.email, keepContributions: true }))
		);
		expect(outcomes.map((o) => o.status).sort()).toEqual(['fulfilled', 'rejected']);
		const left = await db().select().from(schema.users).where(eq(schema.users.isAdmin, true));
		expect(left).toHaveLength(1);
	});

	it("refuses an active event's only organiser, naming the event, until it is handed over", async () => {
		const z = await busyPerson();
		const [organiser] = await db()
			.select()
			.from(schema.users)
			.where(eq(schema.users.id, z.organiser.id));
		const e = await domainError(() =>
			deleteAccount(z.organiser, { confirm: organiser.email, keepContributions: true })
		);
		expect(e.kind).toBe('conflict');
		expect(e.message).toContain(z.event.name);
		expect(
			await db().select().from(schema.eventRoles).where(eq(schema.eventRoles.userId, organiser.id))
		).toHaveLength(1);
		// Archived, the event no longer needs them.
		await db()
			.update(schema.events)
			.set({ status: 'archived' })
			.where(eq(schema.events.id, z.event.id));
		await deleteAccount(z.organiser, { confirm: organiser.email, keepContributions: true });
		expect(await tracesOf(organiser.id, [organiser.email])).toEqual([]);
	});

	it('lets an organiser go once another organiser is on the team', async () => {
		const z = await busyPerson();
		const [organiser] = await db()
			.select()
			.from(schema.users)
			.where(eq(schema.users.id, z.organiser.id));
		const second = await makeUser({ name: 'Second Organiser' });
		await grantRole(z.event.id, second.id, 'organiser');
		await deleteAccount(z.organiser, { confirm: organiser.email, keepContributions: true });
		const [event] = await db().select().from(schema.events).where(eq(schema.events.id, z.event.id));
		expect(event.createdBy).toBeNull();
	});
});
