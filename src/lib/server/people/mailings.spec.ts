import { eq, like } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { ticketHolder } from '../../../../tests/fixtures/agenda';
import { useTestDb } from '../../../../tests/fixtures/db';
import { domainError } from '../../../../tests/fixtures/domain-error';
import {
	actorOf,
	callInput,
	grantRole,
	makeEvent,
	makeTalk,
	makeTicketType,
	makeUser
} from '../../../../tests/fixtures/factories';
import { db, schema } from '../db';
import { listEventActivity } from '../core/activity';
import { decideTalk } from '../talks/review';
import { saveCall } from '../talks/talks';
import { joinWaitingList } from '../tickets/waitlist';
import { listMailings, previewMailing, sendMailing } from './mailings';

useTestDb();

const emailOf = async (userId: number) =>
	(await db().select().from(schema.users).where(eq(schema.users.id, userId)))[0].email;

let gatherings = 0;

async function people() {
	const { event, organiser } = await makeEvent({
		name: `Mail Gathering ${++gatherings}`,
		capacity: 50
	});
	const standard = await makeTicketType(organiser, event.id, { name: 'Standard' });
	const solidarity = await makeTicketType(organiser, event.id, { name: 'Solidarity' });
	const ana = await ticketHolder(event.id, standard.id);
	const ben = await ticketHolder(event.id, standard.id);
	const cai = await ticketHolder(event.id, solidarity.id);
	await db().update(schema.users).set({ locale: 'ca' }).where(eq(schema.users.id, ana.id));
	await joinWaitingList(null, event.id, {
		ticketTypeId: standard.id,
		name: 'Wanda Waiting',
		email: `wanda-${event.id}@example.org`
	});
	await saveCall(organiser, event.id, callInput(event.timeZone));
	const talk = await makeTalk(event.id, { title: 'Accepted' });
	await decideTalk(organiser, event.id, talk.talk.id, 'accepted');
	await makeTalk(event.id, { title: 'Undecided' });
	return { event, organiser, standard, solidarity, ana, ben, cai, talk };
}

const mailTo = (event: { name: string }) =>
	db()
		.select()
		.from(schema.outbox)
		.where(like(schema.outbox.subject, `${event.name}: %`));

const input = (segment: string) => ({
	segment,
	subject: 'Doors open at 9',
	body: 'Bring your **ticket**.\n\n- coffee\n- tea'
});

describe('writing to attendees', () => {
	it('each holder of a ticket type gets one message in their language; nobody else does', async () => {
		const { event, organiser, standard, ana, ben, cai } = await people();
		expect(await sendMailing(organiser, event.id, input(`type-${standard.id}`))).toBe(2);
		const mail = await mailTo(event);
		expect(mail.map((x) => x.to).sort()).toEqual(
			[await emailOf(ana.id), await emailOf(ben.id)].sort()
		);
		const byAddress = new Map(mail.map((x) => [x.to, x]));
		expect(byAddress.get(await emailOf(ana.id))!.text).toMatch(
			/^Hola, .+:\n\nBring your \*\*ticket\*\*/
		);
		expect(byAddress.get(await emailOf(ana.id))!.text).toContain(
			`Reps aquest missatge perquè participes a ${event.name}`
		);
		expect(byAddress.get(await emailOf(ben.id))!.text).toMatch(/^Hello .+,\n/);
		expect(byAddress.get(await emailOf(ana.id))!.subject).toBe(`${event.name}: Doors open at 9`);
		expect(byAddress.has(await emailOf(cai.id))).toBe(false);
		expect(byAddress.has(`wanda-${event.id}@example.org`)).toBe(false);
	});

	it('segments: all ticket holders, the waiting list, the presenters of accepted talks', async () => {
		const { event, organiser, ana, ben, cai, talk } = await people();
		expect(await sendMailing(organiser, event.id, input('tickets'))).toBe(3);
		expect(await sendMailing(organiser, event.id, input('waiting'))).toBe(1);
		expect(await sendMailing(organiser, event.id, input('presenters'))).toBe(1);
		const counts = new Map<string, number>();
		for (const x of await mailTo(event)) counts.set(x.to, (counts.get(x.to) ?? 0) + 1);
		for (const person of [ana, ben, cai]) expect(counts.get(await emailOf(person.id))).toBe(1);
		expect(counts.get(`wanda-${event.id}@example.org`)).toBe(1);
		expect(counts.get(await emailOf(talk.presenter.id))).toBe(1);
		expect(counts.size).toBe(5);
		const log = await listMailings(organiser, event.id);
		expect(log.map((x) => [x.segment, x.count])).toEqual([
			['presenters', 1],
			['waiting', 1],
			['tickets', 3]
		]);
		expect(
			(await listEventActivity(organiser, event.id)).some((x) => x.action === 'mailing.sent')
		).toBe(true);
	});

	it('previews without sending; refuses an empty group, another event’s ticket type, and strangers', async () => {
		const { event, organiser } = await people();
		const other = await makeEvent();
		const otherType = await makeTicketType(other.organiser, other.event.id);
		const preview = await previewMailing(organiser, event.id, input('tickets'));
		expect(preview.count).toBe(3);
		expect(preview.html).toContain('<strong>ticket</strong>');
		expect(await mailTo(event)).toHaveLength(0);
		expect(
			(await domainError(() => sendMailing(organiser, event.id, input(`type-${otherType.id}`))))
				.fields.segment
		).toBe('Choose who the message is for.');
		expect(
			(await domainError(() => sendMailing(organiser, event.id, input('conveners')))).fields.segment
		).toBe('Nobody is in this group yet.');
		const facilitator = actorOf(await makeUser());
		await grantRole(event.id, facilitator.id, 'facilitator');
		expect(
			(await domainError(() => sendMailing(facilitator, event.id, input('tickets')))).kind
		).toBe('forbidden');
		expect(await mailTo(event)).toHaveLength(0);
	});

	it('is rate-limited per event', async () => {
		const { event, organiser } = await people();
		for (let i = 0; i < 5; i++) await sendMailing(organiser, event.id, input('waiting'));
		const refused = await domainError(() => sendMailing(organiser, event.id, input('waiting')));
		expect(refused.kind).toBe('rate_limited');
		expect(await mailTo(event)).toHaveLength(5);
	});
});
