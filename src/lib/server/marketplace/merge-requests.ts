import { and, asc, eq, inArray, or, type SQL } from 'drizzle-orm';
import { m } from '$lib/paraglide/messages';
import { logActivity } from '../core/activity';
import { requireUser, type Actor } from '../auth/guards';
import { db, schema, type Tx } from '../db';
import { forbidden, invalid, notFound } from '../core/errors';
import { sendMail, mailTo } from '../core/mail';
import { convenerIdsOf } from './conveners';
import { lockPair, mergeStep, tellReturned } from './merges';
import { live } from '../live/hub';
import { requirePhase, roundOf } from './rounds';
import { shownName } from '../people/shown-name';

// Conveners merging duplicates without a facilitator: a convener of one proposal suggests the
// merge, a convener of the other agrees (or declines), and the merge is then exactly the one a
// facilitator makes, recorded so a facilitator can still undo it. The requester's own side
// cannot agree for the other, which is why someone convening both is sent to a facilitator.

export type MergeRequest = typeof schema.mergeRequests.$inferSelect;

const r = schema.mergeRequests;

/** The people who may agree to or decline a request: conveners of a side the requester does not convene. */
function decidersOf(request: MergeRequest, conveners: Map<number, number[]>) {
	const sides = [request.sourceId, request.targetId];
	const other = sides.filter((id) => !conveners.get(id)?.includes(request.requestedBy ?? -1));
	const people = new Set(other.flatMap((id) => conveners.get(id) ?? []));
	if (request.requestedBy !== null) people.delete(request.requestedBy);
	return people;
}

export async function requestMerge(
	actor: Actor,
	eventId: number,
	sourceId: number,
	targetId: number,
	origin: string
): Promise<MergeRequest> {
	requireUser(actor);
	if (sourceId === targetId) throw invalid({ targetId: m.mrq_error_same() });
	const { request, source, target, tell } = await db().transaction(async (tx) => {
		// Locking the pair makes two people suggesting the same merge at once queue, so the
		// duplicate check below sees the first one's request.
		const { source, target } = await lockPair(tx, eventId, [sourceId, targetId]);
		const conveners = await convenerIdsOf(tx, [source.id, target.id]);
		const onSource = conveners.get(source.id)?.includes(actor.id) ?? false;
		const onTarget = conveners.get(target.id)?.includes(actor.id) ?? false;
		if (!onSource && !onTarget) throw forbidden(m.mrq_error_not_convener());
		if (onSource && onTarget) throw invalid({ targetId: m.mrq_error_both() });
		if (source.status !== 'open' || target.status !== 'open') {
			throw invalid({ targetId: m.mrq_error_closed() });
		}
		if (source.roundId !== target.roundId) throw invalid({ targetId: m.mrq_error_round() });
		const round = await roundOf(tx, eventId, source.roundId);
		requirePhase(round, 'requestMerge', 'targetId', m.mrq_error_phase);
		const [already] = await tx
			.select({ id: r.id })
			.from(r)
			.where(
				and(
					eq(r.status, 'open'),
					or(
						and(eq(r.sourceId, source.id), eq(r.targetId, target.id)),
						and(eq(r.sourceId, target.id), eq(r.targetId, source.id))
					)
				)
			);
		if (already) throw invalid({ targetId: m.mrq_error_duplicate() });
		const [request] = await tx
			.insert(r)
			.values({ eventId, sourceId: source.id, targetId: target.id, requestedBy: actor.id })
			.returning();
		await logActivity(tx, {
			eventId,
			actorId: actor.id,
			action: 'merge.requested',
			data: { requestId: request.id, sourceId: source.id, targetId: target.id }
		});
		await announce(tx, eventId, request);
		const otherId = onSource ? target.id : source.id;
		return {
			request,
			source,
			target,
			tell: { proposalId: otherId, people: conveners.get(otherId) ?? [] }
		};
	});
	await tellConveners(actor.id, eventId, source.title, target.title, tell, origin);
	return request;
}

async function tellConveners(
	requesterId: number,
	eventId: number,
	sourceTitle: string,
	targetTitle: string,
	tell: { proposalId: number; people: number[] },
	origin: string
) {
	if (!tell.people.length) return;
	const [event] = await db().select().from(schema.events).where(eq(schema.events.id, eventId));
	const u = schema.users;
	const people = await db()
		.select({ id: u.id, email: u.email, name: u.name })
		.from(u)
		.where(inArray(u.id, [...tell.people, requesterId]));
	const requester = people.find((x) => x.id === requesterId)?.name ?? m.mrq_someone();
	for (const person of people) {
		if (person.id === requesterId || !tell.people.includes(person.id)) continue;
		await sendMail(
			await mailTo(person.email, () => ({
				subject: m.mrq_mail_subject({ event: event.name }),
				text: m.mrq_mail_text({
					name: person.name,
					requester,
					source: sourceTitle,
					target: targetTitle,
					url: `${origin}/e/${event.slug}/marketplace/${tell.proposalId}`
				})
			}))
		);
	}
}

/** The request of this event, and whether this person may decide it (a convener of the other side). */
async function requestToDecide(tx: Tx, eventId: number, requestId: number, actorId: number) {
	const [request] = await tx
		.select()
		.from(r)
		.where(and(eq(r.id, requestId), eq(r.eventId, eventId)));
	if (!request) throw notFound();
	if (request.requestedBy === actorId) throw invalid({ _form: m.mrq_error_own() });
	const conveners = await convenerIdsOf(tx, [request.sourceId, request.targetId]);
	if (!decidersOf(request, conveners).has(actorId)) throw forbidden(m.mrq_error_not_convener());
	return request;
}

// The pair's pages reload on this; the ids say which pages.
const announce = (tx: Tx, eventId: number, request: MergeRequest) =>
	live().publish(
		eventId,
		'merge',
		{ requestId: request.id, sourceId: request.sourceId, targetId: request.targetId },
		tx
	);

/** Take an open request once: of two people deciding at once, the second finds it decided. */
async function claim(
	tx: Tx,
	requestId: number,
	status: 'merged' | 'declined' | 'withdrawn',
	by: number
) {
	const [claimed] = await tx
		.update(r)
		.set({ status, decidedBy: by, decidedAt: new Date() })
		.where(and(eq(r.id, requestId), eq(r.status, 'open')))
		.returning();
	if (!claimed) throw invalid({ _form: m.mrq_error_decided() });
	return claimed;
}

export async function agreeToMerge(
	actor: Actor,
	eventId: number,
	requestId: number,
	origin: string
) {
	requireUser(actor);
	const result = await db().transaction(async (tx) => {
		const request = await requestToDecide(tx, eventId, requestId, actor.id);
		await claim(tx, request.id, 'merged', actor.id);
		// A facilitator may have merged or someone withdrawn either proposal since the request.
		const { source, target } = await lockPair(tx, eventId, [request.sourceId, request.targetId]);
		if (source.status !== 'open' || target.status !== 'open') {
			throw invalid({ _form: m.mrq_error_not_open() });
		}
		const round = await roundOf(tx, eventId, source.roundId);
		requirePhase(round, 'requestMerge', '_form', m.mrq_error_phase);
		const merged = await mergeStep(tx, eventId, source.id, target.id, actor.id);
		await logActivity(tx, {
			eventId,
			actorId: actor.id,
			action: 'merge.agreed',
			data: { requestId: request.id, mergeId: merged.merge.id }
		});
		await announce(tx, eventId, request);
		return merged;
	});
	await tellReturned(result.merge.moved, result.source.title, result.target.title, eventId, origin);
	return result.merge;
}

export async function declineMerge(actor: Actor, eventId: number, requestId: number) {
	requireUser(actor);
	await db().transaction(async (tx) => {
		const request = await requestToDecide(tx, eventId, requestId, actor.id);
		await claim(tx, request.id, 'declined', actor.id);
		await logActivity(tx, {
			eventId,
			actorId: actor.id,
			action: 'merge.declined',
			data: { requestId: request.id }
		});
		await announce(tx, eventId, request);
	});
}

export async function withdrawMergeRequest(actor: Actor, eventId: number, requestId: number) {
	requireUser(actor);
	await db().transaction(async (tx) => {
		const [request] = await tx
			.select()
			.from(r)
			.where(and(eq(r.id, requestId), eq(r.eventId, eventId)));
		if (!request) throw notFound();
		if (request.requestedBy !== actor.id) throw forbidden();
		await claim(tx, request.id, 'withdrawn', actor.id);
		await logActivity(tx, {
			eventId,
			actorId: actor.id,
			action: 'merge.withdrawn',
			data: { requestId: request.id }
		});
		await announce(tx, eventId, request);
	});
}

/**
 * The open requests touching this proposal that can still happen (both proposals open), oldest
 * first, with both titles, the requester's name, and who may decide each.
 */
export async function mergeRequestsOf(eventId: number, proposalId: number) {
	const rows = await db()
		.select({ request: r, requester: shownName(eventId) as SQL<string | null> })
		.from(r)
		.leftJoin(schema.users, eq(schema.users.id, r.requestedBy))
		.where(
			and(
				eq(r.eventId, eventId),
				eq(r.status, 'open'),
				or(eq(r.sourceId, proposalId), eq(r.targetId, proposalId))
			)
		)
		.orderBy(asc(r.id));
	if (!rows.length) return [];
	const ids = [...new Set(rows.flatMap(({ request }) => [request.sourceId, request.targetId]))];
	const p = schema.proposals;
	const proposals = await db()
		.select({ id: p.id, title: p.title })
		.from(p)
		.where(and(inArray(p.id, ids), eq(p.eventId, eventId), eq(p.status, 'open')));
	const titles = new Map(proposals.map((x) => [x.id, x.title]));
	const conveners = await convenerIdsOf(db(), ids);
	return rows.flatMap(({ request, requester }) => {
		const source = titles.get(request.sourceId);
		const target = titles.get(request.targetId);
		if (source === undefined || target === undefined) return [];
		return [
			{
				id: request.id,
				sourceId: request.sourceId,
				targetId: request.targetId,
				source,
				target,
				requestedBy: request.requestedBy,
				requester,
				createdAt: request.createdAt,
				deciders: [...decidersOf(request, conveners)]
			}
		];
	});
}
