import { and, asc, eq, isNull } from 'drizzle-orm';
import { REPORT_LICENCES, type ReportLicence } from '$lib/constants';
import { m } from '$lib/paraglide/messages';
import { logActivity } from '../core/activity';
import type { ActivityCodesUnder } from '../core/activity-sentences';
import { hasEventPermission, requireEventPermission, type Actor } from '../auth/guards';
import { db, schema, type Tx } from '../db';
import { invalid, notFound } from '../core/errors';
import { reportSettings } from './report';
import {
	agendaHarvests,
	byRoundAndBlock,
	changedSinceReview,
	harvestContent,
	hasContent
} from './sessions';
import { live } from '../live/hub';

// The organiser's review before the report goes out: a harvest is marked complete when it is
// ready to publish, or hidden when it is not for publishing at all (hidden wins over complete).
// Facilitators see the review; only organisers change it.

export type HarvestState = 'none' | 'in_progress' | 'complete' | 'needs_review' | 'hidden';

const h = schema.harvests;

/** Every session of the published agendas, round by round and block by block, with its state. */
export async function reviewHarvests(actor: Actor, eventId: number) {
	await requireEventPermission(actor, eventId, 'harvest.manage');
	const [list, settings, canReview] = await Promise.all([
		agendaHarvests(eventId),
		reportSettings(eventId),
		hasEventPermission(actor, eventId, 'harvest.review')
	]);
	const count = (items: { kind: string }[], kind: string) =>
		items.filter((x) => x.kind === kind).length;
	const rounds = byRoundAndBlock(list, (x) => {
		const state: HarvestState = !x.harvest
			? 'none'
			: x.harvest.hiddenAt
				? 'hidden'
				: x.harvest.completedAt
					? changedSinceReview(x)
						? 'needs_review'
						: 'complete'
					: hasContent(x)
						? 'in_progress'
						: 'none';
		return {
			sessionId: x.session.id,
			harvestId: x.harvest?.id ?? null,
			title: x.session.title,
			room: x.session.room.name,
			state,
			completed: !!x.harvest?.completedAt,
			needsReview: state === 'needs_review',
			hidden: !!x.harvest?.hiddenAt,
			insights: count(x.items, 'insight'),
			actions: count(x.items, 'action')
		};
	});
	const all = rounds.flatMap((r) => r.blocks.flatMap((b) => b.sessions));
	return {
		...settings,
		canReview,
		rounds,
		totals: {
			sessions: all.length,
			inReport: all.filter((x) => x.state === 'complete' || x.state === 'needs_review').length,
			hidden: all.filter((x) => x.state === 'hidden').length
		}
	};
}

export type HarvestReview = Awaited<ReturnType<typeof reviewHarvests>>;

/** A harvest of this event (another event's id is not found), locked for the change. */
async function eventHarvest(tx: Tx, eventId: number, harvestId: number) {
	const [harvest] = await tx
		.select()
		.from(h)
		.where(and(eq(h.id, harvestId), eq(h.eventId, eventId)))
		.for('update');
	if (!harvest) throw notFound();
	return harvest;
}

async function reviewed(
	actor: Actor,
	eventId: number,
	harvestId: number,
	change: (
		who: number,
		now: Date,
		harvest: typeof h.$inferSelect,
		tx: Tx
	) => Promise<Partial<typeof h.$inferInsert>> | Partial<typeof h.$inferInsert>,
	action: `harvest.${ActivityCodesUnder<'harvest'>}`
) {
	const who = await requireEventPermission(actor, eventId, 'harvest.review');
	await db().transaction(async (tx) => {
		const harvest = await eventHarvest(tx, eventId, harvestId);
		await tx
			.update(h)
			.set(await change(who.id, new Date(), harvest, tx))
			.where(eq(h.id, harvest.id));
		await logActivity(tx, {
			eventId,
			actorId: who.id,
			action,
			data: { harvestId: harvest.id, sessionId: harvest.sessionId }
		});
		await live().publish(eventId, 'harvest', { sessionId: harvest.sessionId, field: 'review' }, tx);
	});
}

/** The harvest's content now, read under the row lock so the approval matches what is stored. */
async function currentContent(tx: Tx, harvest: typeof h.$inferSelect) {
	const hi = schema.harvestItems;
	const items = await tx
		.select()
		.from(hi)
		.where(and(eq(hi.harvestId, harvest.id), isNull(hi.removedAt)))
		.orderBy(asc(hi.createdAt), asc(hi.id));
	return harvestContent(harvest, items);
}

/**
 * Mark a harvest ready for the report (keeping a copy of what was approved), approve the edits
 * made since, or reopen it.
 */
export function markHarvestComplete(
	actor: Actor,
	eventId: number,
	harvestId: number,
	complete: boolean
): Promise<void> {
	return reviewed(
		actor,
		eventId,
		harvestId,
		async (who, now, harvest, tx) =>
			complete
				? { completedAt: now, completedBy: who, reviewed: await currentContent(tx, harvest) }
				: { completedAt: null, reviewed: null },
		complete ? 'harvest.completed' : 'harvest.reopened'
	);
}

/** Keep a harvest out of everything published (report, downloads), or bring it back. */
export function hideHarvest(
	actor: Actor,
	eventId: number,
	harvestId: number,
	hidden: boolean
): Promise<void> {
	return reviewed(
		actor,
		eventId,
		harvestId,
		(who, now) => (hidden ? { hiddenAt: now, hiddenBy: who } : { hiddenAt: null, hiddenBy: null }),
		hidden ? 'harvest.hidden' : 'harvest.shown'
	);
}

const r = schema.eventReports;

async function saveReport(
	actor: Actor,
	eventId: number,
	values: Partial<typeof r.$inferInsert>,
	action: `report.${ActivityCodesUnder<'report'>}`
) {
	const who = await requireEventPermission(actor, eventId, 'harvest.review');
	await db().transaction(async (tx) => {
		const set = { ...values, updatedAt: new Date() };
		await tx
			.insert(r)
			.values({ eventId, ...set })
			.onConflictDoUpdate({ target: r.eventId, set });
		await logActivity(tx, { eventId, actorId: who.id, action, data: values });
		await live().publish(eventId, 'report', { change: action }, tx);
	});
}

/** The licence the published harvests carry. */
export async function setReportLicence(actor: Actor, eventId: number, licence: string) {
	await requireEventPermission(actor, eventId, 'harvest.review');
	if (!REPORT_LICENCES.includes(licence as ReportLicence)) {
		throw invalid({ licence: m.hr_error_licence() });
	}
	await saveReport(actor, eventId, { licence: licence as ReportLicence }, 'report.licence_set');
}

export async function publishReport(actor: Actor, eventId: number) {
	await saveReport(
		actor,
		eventId,
		{ publishedAt: new Date(), publishedBy: actor?.id ?? null },
		'report.published'
	);
}

export async function unpublishReport(actor: Actor, eventId: number) {
	await saveReport(actor, eventId, { publishedAt: null }, 'report.unpublished');
}
