import { asc, eq, inArray } from 'drizzle-orm';
import { db, schema } from '../db';
import { toCsv } from '../core/csv';
import type { Actor } from '../auth/guards';
import { listSubmissions } from './review';

/** Every talk sent in, with its decision, whether that went out, and each review. */
export async function talksCsv(actor: Actor, eventId: number): Promise<string> {
	const talks = await listSubmissions(actor, eventId, { status: null, dayId: null });
	const ids = talks.map((x) => x.talk.id);
	const r = schema.talkReviews;
	const [reviews, days] = await Promise.all([
		ids.length
			? db()
					.select({ talkId: r.talkId, score: r.score, note: r.note, reviewer: schema.users.name })
					.from(r)
					.innerJoin(schema.users, eq(schema.users.id, r.reviewerId))
					.where(inArray(r.talkId, ids))
					.orderBy(asc(r.updatedAt))
			: [],
		db()
			.select({ id: schema.days.id, date: schema.days.date })
			.from(schema.days)
			.where(eq(schema.days.eventId, eventId))
	]);
	const dayOf = new Map(days.map((d) => [d.id, d.date]));
	return toCsv(
		[
			'talk',
			'title',
			'presenters',
			'submitter',
			'submitter email',
			'preferred day',
			'status',
			'decision sent',
			'reviews',
			'average score',
			'review notes',
			'access needs',
			'sent in at'
		],
		talks.map(({ talk, submitterName, submitterEmail, reviews: count, averageScore }) => [
			talk.id,
			talk.title,
			talk.presenters,
			submitterName,
			submitterEmail,
			talk.preferredDayId ? dayOf.get(talk.preferredDayId) : '',
			talk.status,
			talk.notifiedStatus ?? '',
			count,
			averageScore === null ? '' : averageScore.toFixed(2),
			reviews
				.filter((x) => x.talkId === talk.id)
				.map((x) => `${x.reviewer}: ${x.score ?? '–'}${x.note ? ` — ${x.note}` : ''}`)
				.join('\n'),
			talk.accessNeeds,
			talk.submittedAt
		])
	);
}
