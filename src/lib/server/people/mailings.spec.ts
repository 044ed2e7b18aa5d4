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
import { parseForm } from '$lib/schemas/form';
import { mailingSchema } from '$lib/schemas/mailings';
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
	versions: {
		en: { subject: 'Doors open at 9', body: 'Bring your **ticket**.\n\n- coffee\n- tea' }
	}
});

describe('writing to attendees', () => {
	it('each holder of a ticket type gets one message in their language; nobody else does', async () => {
		const { event, organiser, standard, ana, ben, cai } = await people();
		const message = input(`type-${standard.id}`);
		const versions = {
			...message.versions,
			ca: { subject: 'Obrim a les 9', body: 'Porta la teva **entrada**.' }
		};
		expect(await sendMailing(organiser, event.id, { ...message, versions })).toBe(2);
		const mail = await mailTo(event);
		expect(mail.map((x) => x.to).sort()).toEqual(
			[await emailOf(ana.id), await emailOf(ben.id)].sort()
		);
		const byAddress = new Map(mail.map((x) => [x.to, x]));
		expect(byAddress.get(await emailOf(ana.id))!.text).toMatch(
			/^Hola, .+:\n\nPorta la teva \*\*entrada\*\*/
		);
		expect(byAddress.get(await emailOf(ana.id))!.text).toContain(
			`Reps aquest missatge perquè participes a ${event.name}`
		);
		expect(byAddress.get(await emailOf(ben.id))!.text).toMatch(/^Hello .+,\n/);
		expect(byAddress.get(await emailOf(ana.id))!.subject).toBe(`${event.name}: Obrim a les 9`);
		expect(byAddress.get(await emailOf(ben.id))!.subject).toBe(`${event.name}: Doors open at 9`);
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
		expect(preview.versions.map((x) => x.locale)).toEqual(['en']);
		expect(preview.versions[0].html).toContain('<strong>ticket</strong>');
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

	it('each person reads the version in their language, else the default, else the first written', async () => {
		const { event, organiser, ana, ben, cai } = await people();
		await db().update(schema.users).set({ locale: 'en' }).where(eq(schema.users.id, cai.id));
		const both = {
			en: { subject: 'Doors open at 9', body: 'Bring your ticket.' },
			ca: { subject: 'Obrim a les 9', body: 'Porta la teva entrada.' }
		};
		expect(await sendMailing(organiser, event.id, { segment: 'tickets', versions: both })).toBe(3);
		const byAddress = async () => new Map((await mailTo(event)).map((x) => [x.to, x]));
		let mail = await byAddress();
		expect(mail.size).toBe(3);
		// Ana chose Catalan; Cai chose English; Ben chose nothing and gets the default (English).
		const ca = mail.get(await emailOf(ana.id))!;
		expect(ca.subject).toBe(`${event.name}: Obrim a les 9`);
		expect(ca.text).toMatch(/^Hola, .+:\n\nPorta la teva entrada\./);
		expect(ca.text).not.toContain('Bring your ticket');
		for (const person of [ben, cai]) {
			const en = mail.get(await emailOf(person.id))!;
			expect(en.subject).toBe(`${event.name}: Doors open at 9`);
			expect(en.text).toMatch(/^Hello .+,\n\nBring your ticket\./);
		}
		await db()
			.delete(schema.outbox)
			.where(like(schema.outbox.subject, `${event.name}: %`));

		// Written only in Catalan: everyone gets it, greeting and footer in Catalan too.
		const onlyCa = { ca: both.ca };
		expect(await sendMailing(organiser, event.id, { segment: 'tickets', versions: onlyCa })).toBe(
			3
		);
		mail = await byAddress();
		expect([...mail.values()].map((x) => x.subject)).toEqual(
			Array(3).fill(`${event.name}: Obrim a les 9`)
		);
		expect([...mail.values()].every((x) => /^Hola, /.test(x.text))).toBe(true);
		// Written only in English: Ana gets the English one.
		await db()
			.delete(schema.outbox)
			.where(like(schema.outbox.subject, `${event.name}: %`));
		await sendMailing(organiser, event.id, { segment: 'tickets', versions: { en: both.en } });
		mail = await byAddress();
		expect(mail.get(await emailOf(ana.id))!.subject).toBe(`${event.name}: Doors open at 9`);
	});

	it('the form needs at least one language, and both fields of each one written', () => {
		const form = (fields: Record<string, string>) => {
			const data = new FormData();
			data.set('segment', 'tickets');
			for (const [k, v] of Object.entries(fields)) data.set(k, v);
			return parseForm(mailingSchema, data);
		};
		const none = form({ subject_en: '  ', body_en: '', subject_ca: '', body_ca: '' });
		expect(none.success).toBe(false);
		expect(!none.success && none.errors.subject_en).toBe(
			'Write the subject and message in at least one language.'
		);
		const half = form({ subject_en: 'Hello', body_ca: 'Hola a tothom' });
		expect(half.success).toBe(false);
		if (!half.success) {
			expect(Object.keys(half.errors).sort()).toEqual(['body_en', 'subject_ca']);
			// What was typed comes back to refill the form.
			expect(half.values.body_ca).toBe('Hola a tothom');
		}
		const ok = form({ subject_ca: 'Hola', body_ca: 'Benvinguts' });
		expect(ok.success && ok.data).toEqual({
			segment: 'tickets',
			versions: { ca: { subject: 'Hola', body: 'Benvinguts' } }
		});
	});
});
