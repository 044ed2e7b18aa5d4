import { eq } from 'drizzle-orm';
import { afterEach, describe, expect, it } from 'vitest';
import { useTestDb } from '../../../../tests/fixtures/db';
import ICAL from 'ical.js';
import { ticketHolder } from '../../../../tests/fixtures/agenda';
import { makeEvent, makeTicketType, makeUser } from '../../../../tests/fixtures/factories';
import { inbox } from '../../../../tests/fixtures/mailbox';
import { startSmtpFake, type SmtpFake } from '../../../../tests/fixtures/smtp-fake';
import { m } from '$lib/paraglide/messages';
import { db, schema } from '../db';
import { mailTo, retryMail, sendMail } from './mail';

useTestDb();

let fake: SmtpFake | undefined;
afterEach(async () => {
	delete process.env.SMTP_URL;
	await fake?.close();
	fake = undefined;
});

const rowOf = async (id: number) =>
	(await db().select().from(schema.outbox).where(eq(schema.outbox.id, id)))[0];

/** The sweeper's clock, far enough on for any retry to be due. */
const later = (hours: number) => new Date(Date.now() + hours * 3600_000);

describe('mail delivery', () => {
	it('retries a failed delivery with growing gaps until the server takes it, exactly once', async () => {
		fake = await startSmtpFake(2);
		process.env.SMTP_URL = fake.url;
		const id = await sendMail({ to: 'ana@example.org', subject: 'Hello', text: 'Hi\n\nthere' });
		let row = await rowOf(id);
		expect(row).toMatchObject({ state: 'queued', attempts: 1, sentAt: null });
		expect(row.error).toMatch(/451/);
		const firstGap = row.nextAttemptAt!.getTime() - row.createdAt.getTime();
		// Not due yet: nothing is tried.
		expect(await retryMail(new Date())).toBe(0);
		expect(fake.tries).toBe(1);
		// Two sweepers at once: the message is claimed by one of them only.
		const [a, b] = await Promise.all([retryMail(later(1)), retryMail(later(1))]);
		expect(a + b).toBe(0);
		expect(fake.tries).toBe(2);
		row = await rowOf(id);
		expect(row).toMatchObject({ state: 'queued', attempts: 2 });
		expect(row.nextAttemptAt!.getTime() - Date.now()).toBeGreaterThan(firstGap);
		expect(await retryMail(later(1))).toBe(1);
		expect(await retryMail(later(24))).toBe(0);
		row = await rowOf(id);
		expect(row).toMatchObject({ state: 'sent', attempts: 3, nextAttemptAt: null });
		expect(fake.received).toHaveLength(1);
		expect(fake.received[0]).toContain('Subject: Hello');
		// The plain text and its HTML alternative.
		expect(fake.received[0]).toMatch(/multipart\/alternative/);
		expect(fake.received[0]).toContain('text/html');
	});

	it('gives a message up as failed after the last try, with the reason', async () => {
		fake = await startSmtpFake(100);
		process.env.SMTP_URL = fake.url;
		const id = await sendMail({ to: 'bo@example.org', subject: 'Lost', text: 'Lost' });
		for (let i = 0; i < 10; i++) await retryMail(later(24 * (i + 1)));
		const row = await rowOf(id);
		expect(row.state).toBe('failed');
		expect(row.error).toMatch(/451/);
		expect(row.attempts).toBe(6);
		expect(fake.received).toEqual([]);
	});

	it('keeps a message in the outbox without SMTP, with its HTML part', async () => {
		const id = await sendMail({
			to: 'cai@example.org',
			subject: 'Link',
			text: 'Open https://example.org/x?a=1&b=<2>'
		});
		const row = await rowOf(id);
		expect(row.state).toBe('kept');
		expect(row.html).toContain('<a href="https://example.org/x?a=1&amp;b=&lt;2&gt;"');
	});

	it("writes a message in the recipient's language, whoever causes it", async () => {
		const ca = await makeUser({ email: 'catalan@example.org' });
		await db().update(schema.users).set({ locale: 'ca' }).where(eq(schema.users.id, ca.id));
		const toCa = await mailTo(ca.email, () => ({ subject: m.sign_in(), text: m.sign_in() }));
		const toNew = await mailTo('nobody@example.org', () => ({
			subject: m.sign_in(),
			text: m.sign_in()
		}));
		expect(toNew.subject).toBe('Sign in');
		expect(toCa.subject).toBe(m.sign_in({}, { locale: 'ca' }));
		expect(toCa.subject).not.toBe('Sign in');
	});
});

describe('the ticket mail', () => {
	it('carries the QR as an inline image and the event as a calendar file', async () => {
		const { event, organiser } = await makeEvent();
		const type = await makeTicketType(organiser, event.id);
		const holder = await ticketHolder(event.id, type.id);
		const [user] = await db().select().from(schema.users).where(eq(schema.users.id, holder.id));
		const [mail] = await inbox(user.email);
		expect(mail.subject).toContain(event.name);
		const [qr, ics] = mail.attachments;
		expect(qr).toMatchObject({ contentType: 'image/png', cid: 'ticket-qr' });
		expect(Buffer.from(qr.content, 'base64').subarray(1, 4).toString()).toBe('PNG');
		expect(mail.html).toContain('src="cid:ticket-qr"');
		const calendar = new ICAL.Component(
			ICAL.parse(Buffer.from(ics.content, 'base64').toString('utf8'))
		);
		const days = calendar.getAllSubcomponents('vevent');
		expect(days.length).toBeGreaterThan(0);
		expect(String(days[0].getFirstPropertyValue('summary'))).toContain(event.name);
	});
});
