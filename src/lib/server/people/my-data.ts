import { asc, eq, or, sql, type SQL } from 'drizzle-orm';
import type { AnyPgColumn } from 'drizzle-orm/pg-core';
import { requireUser, type Actor } from '../auth/guards';
import { db, schema } from '../db';
import { unauthenticated } from '../core/errors';
import { eventName, openSpaceData } from './my-data-open-space';

// "Your data is yours": everything the app holds about one person, as one JSON document.
// Secrets are left out on purpose: the password hash, session and e-mail token hashes, the
// co-presenter and waiting-list offer token hashes, and Stripe's internal ids.

export const PERSONAL_DATA_FORMAT = 'commonspace-personal-data/1';

const e = schema.events;

/** A column holding an e-mail address matches this person's, whatever its case. */
export const sameEmail = (column: AnyPgColumn, email: string): SQL =>
	sql`lower(${column}) = ${email.toLowerCase()}`;

export async function personalData(actor: Actor) {
	requireUser(actor);
	const id = actor.id;
	const u = schema.users;
	const [profile] = await db()
		.select({
			name: u.name,
			email: u.email,
			locale: u.locale,
			createdAt: u.createdAt,
			isAdmin: u.isAdmin
		})
		.from(u)
		.where(eq(u.id, id));
	if (!profile) throw unauthenticated();
	const [tickets, talks, openSpace, other] = await Promise.all([
		ticketData(id, profile.email),
		talkData(id, profile.email),
		openSpaceData(id),
		otherData(id, profile.email)
	]);
	return {
		format: PERSONAL_DATA_FORMAT,
		exportedAt: new Date().toISOString(),
		profile,
		...other,
		...tickets,
		...talks,
		...openSpace
	};
}

export type PersonalData = Awaited<ReturnType<typeof personalData>>;

async function ticketData(id: number, email: string) {
	const o = schema.orders;
	const t = schema.tickets;
	const w = schema.waitingList;
	const types = schema.ticketTypes;
	const [orders, tickets, waitingList] = await Promise.all([
		db()
			.select({
				id: o.id,
				...eventName,
				ticketType: types.name,
				attendeeName: o.attendeeName,
				attendeeEmail: o.attendeeEmail,
				answers: o.answers,
				amountCents: o.amountCents,
				currency: o.currency,
				status: o.status,
				boughtByYou: sql<boolean>`coalesce(${o.buyerId} = ${id}, false)`,
				createdAt: o.createdAt,
				paidAt: o.paidAt,
				cancelledAt: o.cancelledAt
			})
			.from(o)
			.innerJoin(e, eq(e.id, o.eventId))
			.innerJoin(types, eq(types.id, o.ticketTypeId))
			.where(or(eq(o.buyerId, id), sameEmail(o.attendeeEmail, email)))
			.orderBy(asc(o.id)),
		db()
			.select({
				id: t.id,
				...eventName,
				ticketType: types.name,
				name: t.name,
				email: t.email,
				code: t.code,
				status: t.status,
				checkedInAt: t.checkedInAt,
				createdAt: t.createdAt
			})
			.from(t)
			.innerJoin(o, eq(o.id, t.orderId))
			.innerJoin(e, eq(e.id, t.eventId))
			.innerJoin(types, eq(types.id, t.ticketTypeId))
			.where(or(eq(t.holderId, id), eq(o.buyerId, id), sameEmail(t.email, email)))
			.orderBy(asc(t.id)),
		db()
			.select({
				id: w.id,
				...eventName,
				ticketType: types.name,
				name: w.name,
				email: w.email,
				status: w.status,
				offerExpiresAt: w.offerExpiresAt,
				createdAt: w.createdAt
			})
			.from(w)
			.innerJoin(e, eq(e.id, w.eventId))
			.innerJoin(types, eq(types.id, w.ticketTypeId))
			.where(or(eq(w.userId, id), sameEmail(w.email, email)))
			.orderBy(asc(w.id))
	]);
	return { orders, tickets, waitingList };
}

async function talkData(id: number, email: string) {
	const t = schema.talks;
	const tp = schema.talkPresenters;
	const r = schema.talkReviews;
	const talkColumns = {
		id: t.id,
		...eventName,
		status: t.status,
		title: t.title,
		summary: t.summary,
		presenters: t.presenters,
		links: t.links,
		accessNeeds: t.accessNeeds,
		answers: t.answers,
		submittedAt: t.submittedAt,
		createdAt: t.createdAt,
		updatedAt: t.updatedAt
	};
	const [submitted, coPresenting, talkReviews] = await Promise.all([
		db()
			.select(talkColumns)
			.from(t)
			.innerJoin(e, eq(e.id, t.eventId))
			.where(eq(t.submitterId, id))
			.orderBy(asc(t.id)),
		db()
			.select({
				talkId: t.id,
				...eventName,
				title: t.title,
				invitedEmail: tp.email,
				confirmedAt: tp.confirmedAt,
				invitedAt: tp.createdAt
			})
			.from(tp)
			.innerJoin(t, eq(t.id, tp.talkId))
			.innerJoin(e, eq(e.id, t.eventId))
			.where(or(eq(tp.userId, id), sameEmail(tp.email, email)))
			.orderBy(asc(tp.id)),
		db()
			.select({
				talkId: r.talkId,
				...eventName,
				title: t.title,
				score: r.score,
				note: r.note,
				updatedAt: r.updatedAt
			})
			.from(r)
			.innerJoin(t, eq(t.id, r.talkId))
			.innerJoin(e, eq(e.id, t.eventId))
			.where(eq(r.reviewerId, id))
	]);
	return { talks: { submitted, coPresenting }, talkReviews };
}

async function otherData(id: number, email: string) {
	const r = schema.eventRoles;
	const inv = schema.invites;
	const de = schema.directoryEntries;
	const a = schema.activity;
	const ob = schema.outbox;
	const s = schema.sessions;
	const [eventRoles, invites, directoryEntries, activity, mail, signIns, createdEvents] =
		await Promise.all([
			db()
				.select({ ...eventName, role: r.role, since: r.createdAt })
				.from(r)
				.innerJoin(e, eq(e.id, r.eventId))
				.where(eq(r.userId, id))
				.orderBy(asc(e.id)),
			db()
				.select({
					...eventName,
					role: inv.role,
					createdAt: inv.createdAt,
					acceptedAt: inv.acceptedAt,
					revokedAt: inv.revokedAt
				})
				.from(inv)
				.innerJoin(e, eq(e.id, inv.eventId))
				.where(sameEmail(inv.email, email))
				.orderBy(asc(inv.id)),
			db()
				.select({
					...eventName,
					organisation: de.organisation,
					offers: de.offers,
					seeks: de.seeks,
					contact: de.contact,
					createdAt: de.createdAt,
					updatedAt: de.updatedAt
				})
				.from(de)
				.innerJoin(e, eq(e.id, de.eventId))
				.where(eq(de.userId, id)),
			db()
				.select({ action: a.action, eventSlug: e.slug, data: a.data, createdAt: a.createdAt })
				.from(a)
				.leftJoin(e, eq(e.id, a.eventId))
				.where(eq(a.actorId, id))
				.orderBy(asc(a.id)),
			db()
				.select({ subject: ob.subject, text: ob.text, createdAt: ob.createdAt, sentAt: ob.sentAt })
				.from(ob)
				.where(sameEmail(ob.to, email))
				.orderBy(asc(ob.id)),
			db()
				.select({ createdAt: s.createdAt, expiresAt: s.expiresAt })
				.from(s)
				.where(eq(s.userId, id))
				.orderBy(asc(s.createdAt)),
			db()
				.select({ name: e.name, slug: e.slug, createdAt: e.createdAt })
				.from(e)
				.where(eq(e.createdBy, id))
		]);
	return {
		eventRoles,
		eventsCreated: createdEvents,
		teamInvites: invites,
		directoryEntries,
		activity,
		mail,
		signInSessions: signIns
	};
}
