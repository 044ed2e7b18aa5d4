import { and, asc, avg, count, eq, inArray, isNotNull, ne, or, isNull, sql } from 'drizzle-orm';
import type { TalkDecision, TalkStatus } from '$lib/constants';
import { m } from '$lib/paraglide/messages';
import type { ReviewInput } from '$lib/schemas/talks';
import { logActivity } from '../core/activity';
import { requireEventPermission, type Actor } from '../auth/guards';
import { db, schema, type Tx } from '../db';
import { invalid, notFound } from '../core/errors';
import { mailTo, sendMail } from '../core/mail';
import { live } from '../live/hub';
import { getCall, refuseState, type Talk } from './talks';

// Reviewers read every talk sent in, note and score privately, and decide. Decisions are only
// e-mailed when an organiser sends them, all at once, so nobody hears mid-review.

const t = schema.talks;
const r = schema.talkReviews;

/** Statuses a reviewer may move a sent-in talk between. */
const DECIDABLE: readonly TalkStatus[] = ['submitted', 'accepted', 'reserve', 'declined'];

export interface SubmissionFilter {
	status: TalkStatus | null;
	dayId: number | null;
}

export async function listSubmissions(actor: Actor, eventId: number, filter: SubmissionFilter) {
	const who = await requireEventPermission(actor, eventId, 'talks.review');
	const mine = db()
		.select({ talkId: r.talkId, score: r.score, note: r.note })
		.from(r)
		.where(eq(r.reviewerId, who.id))
		.as('mine');
	const rows = await db()
		.select({
			talk: t,
			submitterName: schema.users.name,
			submitterEmail: schema.users.email,
			averageScore: sql<
				string | null
			>`(select ${avg(r.score)} from ${r} where ${r.talkId} = ${t.id})`,
			reviews: sql<number>`(select ${count()} from ${r} where ${r.talkId} = ${t.id})::int`,
			myScore: mine.score,
			myNote: mine.note
		})
		.from(t)
		.innerJoin(schema.users, eq(schema.users.id, t.submitterId))
		.leftJoin(mine, eq(mine.talkId, t.id))
		.where(
			and(
				eq(t.eventId, eventId),
				isNotNull(t.submittedAt),
				filter.status ? eq(t.status, filter.status) : undefined,
				filter.dayId ? eq(t.preferredDayId, filter.dayId) : undefined
			)
		)
		.orderBy(asc(t.submittedAt));
	return rows.map((row) => ({
		...row,
		averageScore: row.averageScore === null ? null : Number(row.averageScore),
		decisionPending: isPending(row.talk)
	}));
}

const isPending = (talk: Talk) =>
	(talk.status === 'accepted' || talk.status === 'reserve' || talk.status === 'declined') &&
	talk.notifiedStatus !== talk.status;

async function sentInTalk(tx: Tx | ReturnType<typeof db>, eventId: number, talkId: number) {
	const [talk] = await tx
		.select()
		.from(t)
		.where(and(eq(t.id, talkId), eq(t.eventId, eventId), isNotNull(t.submittedAt)));
	if (!talk) throw notFound();
	return talk;
}

export async function submissionForReview(actor: Actor, eventId: number, talkId: number) {
	const who = await requireEventPermission(actor, eventId, 'talks.review');
	const talk = await sentInTalk(db(), eventId, talkId);
	const [submitter] = await db()
		.select({ name: schema.users.name, email: schema.users.email })
		.from(schema.users)
		.where(eq(schema.users.id, talk.submitterId));
	const presenters = await db()
		.select({ email: schema.talkPresenters.email, confirmedAt: schema.talkPresenters.confirmedAt })
		.from(schema.talkPresenters)
		.where(eq(schema.talkPresenters.talkId, talk.id));
	const reviews = await db()
		.select({ reviewerId: r.reviewerId, name: schema.users.name, score: r.score, note: r.note })
		.from(r)
		.innerJoin(schema.users, eq(schema.users.id, r.reviewerId))
		.where(eq(r.talkId, talk.id))
		.orderBy(asc(r.updatedAt));
	const [day] = talk.preferredDayId
		? await db().select().from(schema.days).where(eq(schema.days.id, talk.preferredDayId))
		: [];
	const call = await getCall(eventId);
	return {
		talk,
		submitter,
		presenters,
		reviews,
		mine: reviews.find((x) => x.reviewerId === who.id) ?? null,
		preferredDay: day?.date ?? null,
		questions: call?.questions ?? [],
		decisionPending: isPending(talk)
	};
}

export async function reviewTalk(
	actor: Actor,
	eventId: number,
	talkId: number,
	input: ReviewInput
): Promise<void> {
	const who = await requireEventPermission(actor, eventId, 'talks.review');
	const talk = await sentInTalk(db(), eventId, talkId);
	const values = { score: input.score, note: input.note, updatedAt: new Date() };
	await db().transaction(async (tx) => {
		await tx
			.insert(r)
			.values({ talkId: talk.id, reviewerId: who.id, ...values })
			.onConflictDoUpdate({ target: [r.talkId, r.reviewerId], set: values });
		// Which talk, not the score or the note: those stay between the reviewers.
		await logActivity(tx, {
			eventId,
			actorId: who.id,
			action: 'talk.reviewed',
			data: { talkId: talk.id }
		});
	});
}

/** Record a decision (or put it back to undecided). Nothing is e-mailed yet. */
export async function decideTalk(
	actor: Actor,
	eventId: number,
	talkId: number,
	decision: TalkDecision | 'submitted'
): Promise<Talk> {
	const [saved] = await decideTalks(actor, eventId, [talkId], decision);
	return saved;
}

/**
 * One decision for many talks at once, all or none: a talk of another event or in a state that
 * cannot be decided refuses the whole batch. Nothing is e-mailed until decisions are sent.
 */
export async function decideTalks(
	actor: Actor,
	eventId: number,
	talkIds: number[],
	decision: TalkDecision | 'submitted'
): Promise<Talk[]> {
	const who = await requireEventPermission(actor, eventId, 'talks.review');
	const ids = [...new Set(talkIds)].sort((a, b) => a - b);
	if (!ids.length) throw invalid({ talkId: m.talksm_bulk_none() });
	return db().transaction(async (tx) => {
		// Locked in id order, so two batches that share talks queue instead of deadlocking.
		const talks = await tx
			.select()
			.from(t)
			.where(and(inArray(t.id, ids), eq(t.eventId, eventId), isNotNull(t.submittedAt)))
			.orderBy(asc(t.id))
			.for('update');
		if (talks.length !== ids.length) throw notFound();
		if (talks.some((x) => !DECIDABLE.includes(x.status))) throw refuseState();
		const saved = await tx
			.update(t)
			.set({
				status: decision,
				// Only accepted talks keep a place in the running order.
				...(decision === 'accepted' ? {} : { blockId: null }),
				updatedAt: new Date()
			})
			.where(inArray(t.id, ids))
			.returning();
		for (const talk of talks) {
			await logActivity(tx, {
				eventId,
				actorId: who.id,
				action: 'talk.decided',
				data: {
					talkId: talk.id,
					decision,
					was: talk.status,
					...(ids.length > 1 && { batch: ids.length })
				}
			});
		}
		if (decision !== 'accepted' && talks.some((x) => x.blockId !== null))
			await live().publish(eventId, 'programme', {}, tx);
		return ids.map((id) => saved.find((x) => x.id === id)!);
	});
}

/** A reserve talk takes a freed slot; the presenter hears with the next batch of decisions. */
export async function promoteReserve(actor: Actor, eventId: number, talkId: number): Promise<Talk> {
	const who = await requireEventPermission(actor, eventId, 'talks.manage');
	return db().transaction(async (tx) => {
		const [saved] = await tx
			.update(t)
			.set({ status: 'accepted', updatedAt: new Date() })
			.where(and(eq(t.id, talkId), eq(t.eventId, eventId), eq(t.status, 'reserve')))
			.returning();
		if (!saved) {
			await sentInTalk(tx, eventId, talkId);
			throw refuseState();
		}
		await logActivity(tx, {
			eventId,
			actorId: who.id,
			action: 'talk.promoted',
			data: { talkId: saved.id }
		});
		return saved;
	});
}

export async function pendingDecisionCount(actor: Actor, eventId: number): Promise<number> {
	await requireEventPermission(actor, eventId, 'talks.review');
	const [row] = await db().select({ n: count() }).from(t).where(pendingWhere(eventId));
	return row.n;
}

function pendingWhere(eventId: number) {
	return and(
		eq(t.eventId, eventId),
		or(eq(t.status, 'accepted'), eq(t.status, 'reserve'), eq(t.status, 'declined')),
		or(isNull(t.notifiedStatus), ne(t.notifiedStatus, t.status))
	);
}

const fill = (template: string, values: Record<string, string>) =>
	template.replace(/\{(title|event|name|url)\}/g, (_, key: string) => values[key] ?? '');

/**
 * E-mail every decision not yet sent. Each talk is claimed by a guarded UPDATE that records the
 * decision as notified, so a second click (or a second organiser at once) sends nothing twice.
 */
export async function sendDecisions(
	actor: Actor,
	eventId: number,
	origin: string
): Promise<number> {
	const who = await requireEventPermission(actor, eventId, 'talks.manage');
	const call = await getCall(eventId);
	const [event] = await db().select().from(schema.events).where(eq(schema.events.id, eventId));
	if (!call || !event) throw notFound();
	const claimed = await db().transaction(async (tx) => {
		const rows = await tx
			.update(t)
			.set({ notifiedStatus: sql`${t.status}` })
			.where(pendingWhere(eventId))
			.returning();
		if (rows.length) {
			await logActivity(tx, {
				eventId,
				actorId: who.id,
				action: 'talks.decisions_sent',
				data: { talkIds: rows.map((x) => x.id) }
			});
		}
		return rows;
	});
	for (const talk of claimed) {
		const [submitter] = await db()
			.select({ name: schema.users.name, email: schema.users.email })
			.from(schema.users)
			.where(eq(schema.users.id, talk.submitterId));
		const co = await db()
			.select({ email: schema.talkPresenters.email })
			.from(schema.talkPresenters)
			.where(
				and(eq(schema.talkPresenters.talkId, talk.id), isNotNull(schema.talkPresenters.confirmedAt))
			);
		const template =
			talk.status === 'accepted'
				? call.acceptedTemplate
				: talk.status === 'reserve'
					? call.reserveTemplate
					: call.declinedTemplate;
		const text = fill(template, {
			title: talk.title,
			event: event.name,
			name: talk.presenters || submitter.name,
			url: `${origin}/e/${event.slug}/talks/mine`
		});
		for (const to of [submitter.email, ...co.map((c) => c.email)]) {
			await sendMail(
				await mailTo(to, () => ({
					subject: m.mail_decision_subject({ event: event.name, title: talk.title }),
					text
				}))
			);
		}
	}
	return claimed.length;
}
