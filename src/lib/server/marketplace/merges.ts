import { and, asc, count, eq, inArray, isNull, type SQL } from 'drizzle-orm';
import { m } from '$lib/paraglide/messages';
import { logActivity } from '../core/activity';
import { requireEventPermission, type Actor } from '../auth/guards';
import { db, schema, type Tx } from '../db';
import type { MovedDots } from '../db/schema/marketplace';
import { invalid, notFound } from '../core/errors';
import { sendMail, mailTo } from '../core/mail';
import { live } from '../live/hub';
import { announceCard } from './card';
import { convenerIdsOf } from './conveners';
import { moveDots, moveDotsBack } from './dots';
import { requirePhase, roundOf } from './rounds';
import { shownName } from '../people/shown-name';

// Merging duplicate proposals. The merged-away proposal's conveners join the kept one and its
// dots move across, never past the round's per-proposal limit for any one voter: what would go
// over goes back to that voter's budget, and they are told. Every merge is recorded with what
// it moved, so a facilitator can undo it. "I'd come" marks move across too, each person counted
// once; the merged-away proposal keeps its own marks (it is not counted while merged), so an undo
// only takes off the marks the merge added. Locks are taken in the voting order (proposals, then
// each voter's budget, then their dots), so merging while people vote cannot deadlock or lose a dot.

const p = schema.proposals;
const i = schema.interest;

export async function lockPair(tx: Tx, eventId: number, ids: [number, number]) {
	const rows = await tx
		.select()
		.from(p)
		.where(and(inArray(p.id, ids), eq(p.eventId, eventId)))
		.orderBy(asc(p.id))
		.for('update');
	const [source, target] = ids.map((id) => rows.find((r) => r.id === id));
	if (!source || !target) throw notFound();
	return { source, target };
}

export async function mergeProposals(
	actor: Actor,
	eventId: number,
	sourceId: number,
	targetId: number,
	origin: string
) {
	const who = await requireEventPermission(actor, eventId, 'marketplace.run');
	if (sourceId === targetId) throw invalid({ targetId: m.error_merge_same() });
	const result = await db().transaction((tx) => mergeStep(tx, eventId, sourceId, targetId, who.id));
	await tellReturned(result.merge.moved, result.source.title, result.target.title, eventId, origin);
	return result.merge;
}

/**
 * The merge itself, inside the caller's transaction: a facilitator's merge and one two conveners
 * agreed on move the same things and leave the same record, so either can be undone. The caller
 * checks who may merge (before the transaction) and mails the returned dots after it commits.
 */
export async function mergeStep(
	tx: Tx,
	eventId: number,
	sourceId: number,
	targetId: number,
	mergedBy: number
) {
	const { source, target } = await lockPair(tx, eventId, [sourceId, targetId]);
	if (source.status !== 'open' || target.status !== 'open') {
		throw invalid({ targetId: m.error_merge_closed() });
	}
	if (source.roundId !== target.roundId) throw invalid({ targetId: m.error_merge_round() });
	const round = await roundOf(tx, eventId, source.roundId);
	requirePhase(round, 'merge');

	const conveners = await convenerIdsOf(tx, [source.id, target.id]);
	const adding = conveners.get(source.id)!.filter((id) => !conveners.get(target.id)!.includes(id));
	if (adding.length) {
		await tx
			.insert(schema.conveners)
			.values(adding.map((userId) => ({ proposalId: target.id, userId })));
	}

	const moved = await moveDots(tx, round, source.id, target.id);

	const marked = await tx
		.select({ userId: i.userId })
		.from(i)
		.where(eq(i.proposalId, source.id))
		.orderBy(asc(i.userId));
	// Whoever marked the kept proposal already is skipped by the conflict; `returning` then
	// names exactly the people added, which is what an undo takes off again.
	const movedInterest = marked.length
		? (
				await tx
					.insert(i)
					.values(marked.map(({ userId }) => ({ proposalId: target.id, userId })))
					.onConflictDoNothing()
					.returning({ userId: i.userId })
			).map((r) => r.userId)
		: [];

	await tx.update(p).set({ status: 'merged', mergedInto: target.id }).where(eq(p.id, source.id));
	const [merge] = await tx
		.insert(schema.merges)
		.values({
			eventId,
			sourceId: source.id,
			targetId: target.id,
			addedConveners: adding,
			moved,
			movedInterest,
			mergedBy
		})
		.returning();
	await logActivity(tx, {
		eventId,
		actorId: mergedBy,
		action: 'proposal.merged',
		data: { mergeId: merge.id, sourceId: source.id, targetId: target.id }
	});
	await announceCard(tx, eventId, source.id);
	await announceCard(tx, eventId, target.id);
	await announceInterest(tx, eventId, target.id);
	return { merge, source, target };
}

/** Mail each voter whose dots came back because the kept proposal was at their limit. */
export async function tellReturned(
	moved: MovedDots[],
	sourceTitle: string,
	targetTitle: string,
	eventId: number,
	origin: string
) {
	const back = moved.filter((x) => x.returned > 0);
	if (!back.length) return;
	const [event] = await db().select().from(schema.events).where(eq(schema.events.id, eventId));
	const people = await db()
		.select({ id: schema.users.id, email: schema.users.email, name: schema.users.name })
		.from(schema.users)
		.where(
			inArray(
				schema.users.id,
				back.map((x) => x.userId)
			)
		);
	for (const x of back) {
		const person = people.find((u) => u.id === x.userId);
		if (!person) continue;
		await sendMail(
			await mailTo(person.email, () => ({
				subject: m.mail_dots_returned_subject({ event: event.name }),
				text: m.mail_dots_returned_text({
					name: person.name,
					count: x.returned,
					source: sourceTitle,
					target: targetTitle,
					url: `${origin}/e/${event.slug}/marketplace`
				})
			}))
		);
	}
}

/**
 * Undo a merge: the proposal comes back with its conveners and, as far as the voters' budgets
 * allow now, their dots. Dots still on the kept proposal move back; returned dots are placed
 * again only where the voter has not spent them since.
 */
export async function undoMerge(actor: Actor, eventId: number, mergeId: number): Promise<void> {
	const who = await requireEventPermission(actor, eventId, 'marketplace.run');
	await db().transaction(async (tx) => {
		const [merge] = await tx
			.select()
			.from(schema.merges)
			.where(
				and(
					eq(schema.merges.id, mergeId),
					eq(schema.merges.eventId, eventId),
					isNull(schema.merges.undoneAt)
				)
			)
			.for('update');
		if (!merge) throw notFound();
		const { source, target } = await lockPair(tx, eventId, [merge.sourceId, merge.targetId]);
		if (source.status !== 'merged' || target.status !== 'open') {
			throw invalid({ _form: m.error_merge_closed() });
		}
		const round = await roundOf(tx, eventId, source.roundId);
		requirePhase(round, 'merge');
		await moveDotsBack(tx, round, source.id, target.id, merge.moved);
		if (merge.addedConveners.length) {
			await tx
				.delete(schema.conveners)
				.where(
					and(
						eq(schema.conveners.proposalId, target.id),
						inArray(schema.conveners.userId, merge.addedConveners)
					)
				);
		}
		if (merge.movedInterest.length) {
			await tx
				.delete(i)
				.where(and(eq(i.proposalId, target.id), inArray(i.userId, merge.movedInterest)));
		}
		await tx.update(p).set({ status: 'open', mergedInto: null }).where(eq(p.id, source.id));
		await tx
			.update(schema.merges)
			.set({ undoneAt: new Date(), undoneBy: who.id })
			.where(eq(schema.merges.id, merge.id));
		await logActivity(tx, {
			eventId,
			actorId: who.id,
			action: 'proposal.unmerged',
			data: { mergeId: merge.id }
		});
		await announceCard(tx, eventId, source.id);
		await announceCard(tx, eventId, target.id);
		await announceInterest(tx, eventId, target.id);
		await announceInterest(tx, eventId, source.id);
	});
}

async function announceInterest(tx: Tx, eventId: number, proposalId: number) {
	const [row] = await tx.select({ count: count() }).from(i).where(eq(i.proposalId, proposalId));
	await live().publish(eventId, 'interest', { proposalId, count: row.count }, tx);
}

/** The merges of this event that still stand, oldest first, with both titles and who merged. */
export async function listMerges(eventId: number) {
	const g = schema.merges;
	const rows = await db()
		.select({
			id: g.id,
			sourceId: g.sourceId,
			targetId: g.targetId,
			createdAt: g.createdAt,
			mergedBy: shownName(eventId) as SQL<string | null>
		})
		.from(g)
		.leftJoin(schema.users, eq(schema.users.id, g.mergedBy))
		.where(and(eq(g.eventId, eventId), isNull(g.undoneAt)))
		.orderBy(asc(g.id));
	if (!rows.length) return [];
	const ids = [...new Set(rows.flatMap((r) => [r.sourceId, r.targetId]))];
	const proposals = await db()
		.select({ id: p.id, title: p.title, roundId: p.roundId })
		.from(p)
		.where(and(inArray(p.id, ids), eq(p.eventId, eventId)));
	const byId = new Map(proposals.map((x) => [x.id, x]));
	return rows.flatMap((r) => {
		const source = byId.get(r.sourceId);
		const target = byId.get(r.targetId);
		if (!source || !target) return [];
		return [{ ...r, roundId: source.roundId, source: source.title, target: target.title }];
	});
}
