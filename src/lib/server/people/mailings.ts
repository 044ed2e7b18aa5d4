import { and, desc, eq, inArray, isNotNull } from 'drizzle-orm';
import { m } from '$lib/paraglide/messages';
import { renderMarkdown } from '$lib/markdown';
import { baseLocale, isLocale, locales, type Locale } from '$lib/paraglide/runtime';
import type { MailingInput, MailingVersion, MailingVersions } from '$lib/schemas/mailings';
import { logActivity } from '../core/activity';
import { requireEventPermission, type Actor } from '../auth/guards';
import { consume } from '../auth/rate-limit';
import { config } from '../core/config';
import { DomainError, invalid, notFound } from '../core/errors';
import { sendMail } from '../core/mail';
import { db, schema } from '../db';

// An organiser writes to a segment of the event's people: everyone with a valid ticket, the
// holders of one ticket type, the waiting list, the presenters of accepted talks, or the
// conveners of the published sessions. Each address gets the message once, through the mail
// queue (the outbox). The message may be written in several of the site's languages; each
// person gets the version in their own language, else the default language, else the first
// one written, with the greeting and footer in the same language as the text.

/** A few mailings an hour per event: enough to correct a mistake, not enough to spam. */
export const MAILING_LIMIT = { max: 5, windowSeconds: 60 * 60 };

interface Recipient {
	email: string;
	name: string;
	userId: number | null;
}

async function ticketHolders(eventId: number, typeId?: number): Promise<Recipient[]> {
	const t = schema.tickets;
	return db()
		.select({ email: t.email, name: t.name, userId: t.holderId })
		.from(t)
		.where(
			and(
				eq(t.eventId, eventId),
				eq(t.status, 'valid'),
				typeId ? eq(t.ticketTypeId, typeId) : undefined
			)
		)
		.orderBy(t.id);
}

async function waitingList(eventId: number): Promise<Recipient[]> {
	const w = schema.waitingList;
	return db()
		.select({ email: w.email, name: w.name, userId: w.userId })
		.from(w)
		.where(and(eq(w.eventId, eventId), inArray(w.status, ['waiting', 'offered'])))
		.orderBy(w.id);
}

async function presenters(eventId: number): Promise<Recipient[]> {
	const t = schema.talks;
	const u = schema.users;
	const accepted = and(eq(t.eventId, eventId), eq(t.status, 'accepted'));
	const submitters = await db()
		.select({ email: u.email, name: u.name, userId: u.id })
		.from(t)
		.innerJoin(u, eq(u.id, t.submitterId))
		.where(accepted);
	const co = await db()
		.select({ email: u.email, name: u.name, userId: u.id })
		.from(schema.talkPresenters)
		.innerJoin(t, eq(t.id, schema.talkPresenters.talkId))
		.innerJoin(u, eq(u.id, schema.talkPresenters.userId))
		.where(and(accepted, isNotNull(schema.talkPresenters.confirmedAt)));
	return [...submitters, ...co];
}

async function conveners(eventId: number): Promise<Recipient[]> {
	const s = schema.agendaSessions;
	const u = schema.users;
	return db()
		.selectDistinct({ email: u.email, name: u.name, userId: u.id })
		.from(s)
		.innerJoin(schema.rounds, eq(schema.rounds.id, s.roundId))
		.innerJoin(schema.conveners, eq(schema.conveners.proposalId, s.proposalId))
		.innerJoin(u, eq(u.id, schema.conveners.userId))
		.where(and(eq(s.eventId, eventId), eq(schema.rounds.phase, 'scheduled')));
}

/** The people of a segment, each address once. */
export async function segmentRecipients(eventId: number, segment: string): Promise<Recipient[]> {
	let people: Recipient[];
	if (segment === 'tickets') people = await ticketHolders(eventId);
	else if (segment === 'waiting') people = await waitingList(eventId);
	else if (segment === 'presenters') people = await presenters(eventId);
	else if (segment === 'conveners') people = await conveners(eventId);
	else {
		const typeId = Number(/^type-(\d{1,9})$/.exec(segment)?.[1]);
		const [type] = typeId
			? await db()
					.select({ id: schema.ticketTypes.id })
					.from(schema.ticketTypes)
					.where(and(eq(schema.ticketTypes.id, typeId), eq(schema.ticketTypes.eventId, eventId)))
			: [];
		if (!type) throw invalid({ segment: m.mailing_segment_unknown() });
		people = await ticketHolders(eventId, type.id);
	}
	const seen = new Map<string, Recipient>();
	for (const person of people) {
		const key = person.email.trim().toLowerCase();
		if (key && !seen.has(key)) seen.set(key, person);
	}
	return [...seen.values()];
}

/** What the message will look like, and how many people it would reach. */
export async function previewMailing(actor: Actor, eventId: number, input: MailingInput) {
	await requireEventPermission(actor, eventId, 'people.message');
	const recipients = await segmentRecipients(eventId, input.segment);
	const versions = writtenLocales(input.versions).map((locale) => ({
		locale,
		subject: input.versions[locale]!.subject,
		html: renderMarkdown(input.versions[locale]!.body)
	}));
	return { versions, count: recipients.length };
}

/** The languages the message is written in, in the site's order. */
function writtenLocales(versions: MailingVersions): Locale[] {
	return locales.filter((l) => versions[l]);
}

/** The version a person reads: their own language, else the default, else the first written. */
function versionFor(
	versions: MailingVersions,
	stored: string | null | undefined
): { locale: Locale; version: MailingVersion } {
	const locale =
		stored && isLocale(stored) && versions[stored]
			? stored
			: versions[baseLocale]
				? baseLocale
				: writtenLocales(versions)[0];
	return { locale, version: versions[locale]! };
}

/** Send the message to every person of the segment, once each; returns how many it reached. */
export async function sendMailing(actor: Actor, eventId: number, input: MailingInput) {
	const who = await requireEventPermission(actor, eventId, 'people.message');
	const [event] = await db().select().from(schema.events).where(eq(schema.events.id, eventId));
	if (!event) throw notFound();
	const written = writtenLocales(input.versions);
	if (!written.length) throw invalid({ [`subject_${baseLocale}`]: m.mailing_no_language() });
	const recipients = await segmentRecipients(eventId, input.segment);
	if (!recipients.length) throw invalid({ segment: m.mailing_segment_empty() });
	if (!(await consume(`mailing:event:${eventId}`, MAILING_LIMIT))) {
		throw new DomainError('rate_limited', m.mailing_rate_limited());
	}
	const ids = recipients.flatMap((x) => (x.userId ? [x.userId] : []));
	const stored = new Map(
		ids.length
			? (
					await db()
						.select({ id: schema.users.id, locale: schema.users.locale })
						.from(schema.users)
						.where(inArray(schema.users.id, ids))
				).map((x) => [x.id, x.locale])
			: []
	);
	const url = `${config.origin}/e/${event.slug}`;
	for (const person of recipients) {
		const { locale, version } = versionFor(
			input.versions,
			person.userId ? stored.get(person.userId) : null
		);
		await sendMail({
			to: person.email,
			subject: `${event.name}: ${version.subject}`,
			text: [
				m.mailing_greeting({ name: person.name }, { locale }),
				'',
				version.body,
				'',
				'—',
				m.mailing_footer({ event: event.name, url }, { locale })
			].join('\n')
		});
	}
	await logActivity(db(), {
		eventId,
		actorId: who.id,
		action: 'mailing.sent',
		data: {
			segment: input.segment,
			subject: input.versions[written[0]]!.subject,
			locales: written,
			count: recipients.length
		}
	});
	return recipients.length;
}

/** The messages sent to the event's people, newest first. */
export async function listMailings(actor: Actor, eventId: number) {
	await requireEventPermission(actor, eventId, 'people.message');
	const a = schema.activity;
	const rows = await db()
		.select({ at: a.createdAt, data: a.data, by: schema.users.name })
		.from(a)
		.leftJoin(schema.users, eq(schema.users.id, a.actorId))
		.where(and(eq(a.eventId, eventId), eq(a.action, 'mailing.sent')))
		.orderBy(desc(a.id))
		.limit(50);
	return rows.map((x) => {
		const data = x.data as { segment: string; subject: string; count: number };
		return { at: x.at, by: x.by, ...data };
	});
}
