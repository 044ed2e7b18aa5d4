import { and, eq, isNull } from 'drizzle-orm';
import { m } from '$lib/paraglide/messages';
import { logActivity } from '../core/activity';
import { requireUser, type Actor } from '../auth/guards';
import { randomString, sha256 } from '../auth/tokens';
import { db, schema } from '../db';
import { invalid, notFound } from '../core/errors';
import { sendMail, mailTo } from '../core/mail';
import { publicProgramme } from './running-order';
import { getCall, isPresenter, myTalks, presentersOf, talkEditable } from './talks';

// Co-presenters: the submitter adds someone by e-mail; the link in that mail, opened while
// signed in, makes them a presenter who may edit the talk too.

async function talkOfPresenter(actor: Actor, eventId: number, talkId: number) {
	requireUser(actor);
	const [row] = await db()
		.select({ talk: schema.talks, event: schema.events })
		.from(schema.talks)
		.innerJoin(schema.events, eq(schema.events.id, schema.talks.eventId))
		.where(and(eq(schema.talks.id, talkId), eq(schema.talks.eventId, eventId)));
	if (!row || !(await isPresenter(db(), row.talk, actor.id))) throw notFound();
	return row;
}

/**
 * The talks this person presents at this event, newest first, each with its presenters, whether
 * it can still be edited, and its slot once accepted and placed: one read for the whole page.
 */
export async function myTalksOverview(actor: Actor, eventId: number) {
	const talks = await myTalks(actor, eventId);
	if (talks.length === 0) return [];
	const [presenters, call, programme] = await Promise.all([
		presentersOf(talks.map((t) => t.id)),
		getCall(eventId),
		talks.some((t) => t.status === 'accepted') ? publicProgramme(eventId) : []
	]);
	const slots = new Map(programme.flatMap((x) => x.talks).map((slot) => [slot.id, slot]));
	return talks.map((talk) => {
		const slot = talk.status === 'accepted' ? slots.get(talk.id) : undefined;
		return {
			id: talk.id,
			title: talk.title,
			status: talk.status,
			notifiedStatus: talk.notifiedStatus,
			submittedAt: talk.submittedAt,
			editable: talkEditable(call, talk),
			presenters: presenters
				.filter((p) => p.talkId === talk.id)
				.map(({ id, email, confirmed }) => ({ id, email, confirmed })),
			slot: slot ? { startsAt: slot.startsAt, endsAt: slot.endsAt } : null
		};
	});
}

export async function invitePresenter(
	actor: Actor,
	eventId: number,
	talkId: number,
	email: string,
	origin: string
): Promise<void> {
	const { talk, event } = await talkOfPresenter(actor, eventId, talkId);
	if (talk.status === 'withdrawn' || talk.status === 'declined') {
		throw invalid({ email: m.error_talk_not_editable() });
	}
	const [submitter] = await db()
		.select({ email: schema.users.email })
		.from(schema.users)
		.where(eq(schema.users.id, talk.submitterId));
	const [same] = await db()
		.select({ id: schema.talkPresenters.id })
		.from(schema.talkPresenters)
		.where(and(eq(schema.talkPresenters.talkId, talk.id), eq(schema.talkPresenters.email, email)));
	if (same || submitter?.email === email) throw invalid({ email: m.error_presenter_already() });
	const token = randomString(40);
	await db().transaction(async (tx) => {
		await tx
			.insert(schema.talkPresenters)
			.values({ talkId: talk.id, email, tokenHash: sha256(token) });
		await logActivity(tx, {
			eventId,
			actorId: actor!.id,
			action: 'talk.presenter_invited',
			data: { talkId: talk.id, email }
		});
	});
	await sendMail(
		await mailTo(email, () => ({
			subject: m.mail_presenter_subject({ event: event.name }),
			text: m.mail_presenter_text({
				title: talk.title || '…',
				event: event.name,
				url: `${origin}/e/${event.slug}/talks/presenter/${token}`
			})
		}))
	);
}

export async function removePresenter(
	actor: Actor,
	eventId: number,
	talkId: number,
	presenterId: number
): Promise<void> {
	const { talk } = await talkOfPresenter(actor, eventId, talkId);
	await db().transaction(async (tx) => {
		const [gone] = await tx
			.delete(schema.talkPresenters)
			.where(
				and(eq(schema.talkPresenters.id, presenterId), eq(schema.talkPresenters.talkId, talk.id))
			)
			.returning();
		if (!gone) throw notFound();
		await logActivity(tx, {
			eventId,
			actorId: actor!.id,
			action: 'talk.presenter_removed',
			data: { talkId: talk.id }
		});
	});
}

async function inviteByToken(token: string) {
	const [row] = await db()
		.select({ invite: schema.talkPresenters, talk: schema.talks, event: schema.events })
		.from(schema.talkPresenters)
		.innerJoin(schema.talks, eq(schema.talks.id, schema.talkPresenters.talkId))
		.innerJoin(schema.events, eq(schema.events.id, schema.talks.eventId))
		.where(eq(schema.talkPresenters.tokenHash, sha256(token)));
	return row;
}

export async function describePresenterInvite(token: string) {
	const row = await inviteByToken(token);
	if (!row || row.invite.confirmedAt || row.talk.status === 'withdrawn') return null;
	return {
		email: row.invite.email,
		talkTitle: row.talk.title,
		eventName: row.event.name,
		eventSlug: row.event.slug
	};
}

/** Whoever opens the link signed in becomes the co-presenter; the link works once. */
export async function confirmPresenter(
	actor: Actor,
	token: string
): Promise<{ eventSlug: string; talkId: number }> {
	requireUser(actor);
	const row = await inviteByToken(token);
	if (!row || row.talk.status === 'withdrawn') throw invalid({ _form: m.error_presenter_link() });
	await db().transaction(async (tx) => {
		const [done] = await tx
			.update(schema.talkPresenters)
			.set({ userId: actor.id, confirmedAt: new Date() })
			.where(
				and(eq(schema.talkPresenters.id, row.invite.id), isNull(schema.talkPresenters.confirmedAt))
			)
			.returning();
		if (!done) throw invalid({ _form: m.error_presenter_link() });
		await logActivity(tx, {
			eventId: row.event.id,
			actorId: actor.id,
			action: 'talk.presenter_confirmed',
			data: { talkId: row.talk.id }
		});
	});
	return { eventSlug: row.event.slug, talkId: row.talk.id };
}
