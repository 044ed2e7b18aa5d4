import { eq } from 'drizzle-orm';
import type { ReportLicence } from '$lib/constants';
import { renderMarkdown, safeLinkUrl, safeMarkdown } from '$lib/markdown';
import { hasEventPermission, requireEventPermission, type Actor } from '../auth/guards';
import { db, schema } from '../db';
import { notFound } from '../core/errors';
import {
	agendaHarvests,
	asReviewed,
	byRoundAndBlock,
	hasContent,
	type SessionHarvest
} from './sessions';
import { publicProgramme } from '../talks/running-order';

// The event report: every harvest an organiser marked complete and did not hide, grouped by
// round, block and room, with the lightning talks and every action with its owner. The page,
// the Markdown and the JSON are all made from this one object, so a hidden note cannot reach
// one of them by another road. The plenary slides read the same harvests.

const isHidden = (x: SessionHarvest) => !!x.harvest?.hiddenAt;

/** The event's report settings; an event nobody set up yet has the default licence, unpublished. */
export async function reportSettings(eventId: number) {
	const r = schema.eventReports;
	const [row] = await db().select().from(r).where(eq(r.eventId, eventId));
	return {
		licence: (row?.licence ?? 'CC-BY-SA-4.0') as ReportLicence,
		publishedAt: row?.publishedAt ?? null
	};
}

/** Whether the event's report is out, for the public event page's link. */
export async function reportPublished(eventId: number): Promise<boolean> {
	return (await reportSettings(eventId)).publishedAt !== null;
}
const inReport = (x: SessionHarvest) => !!x.harvest?.completedAt && !isHidden(x);

// Markdown texts go out (page, Markdown, JSON) only as the renderer would keep them whole.
const texts = (x: SessionHarvest, kind: string) =>
	x.items.filter((i) => i.kind === kind).map((i) => ({ text: safeMarkdown(i.text) }));

const actionsOf = (x: SessionHarvest) =>
	x.items
		.filter((i) => i.kind === 'action')
		.map((i) => ({ text: safeMarkdown(i.text), owner: i.owner, dueOn: i.dueOn }));

function reportSession(x: SessionHarvest) {
	const harvest = x.harvest!;
	return {
		id: x.session.id,
		title: x.session.title,
		room: x.session.room.name,
		startsAt: x.session.block.startsAt,
		endsAt: x.session.block.endsAt,
		conveners: x.session.conveners.map((c) => c.name),
		// The question the group worked on, or the one the proposal asked if none was written.
		question: harvest.question.trim() || x.session.question,
		participants: harvest.participants,
		insights: texts(x, 'insight'),
		actions: actionsOf(x),
		questions: texts(x, 'question'),
		resources: x.items
			.filter((i) => i.kind === 'resource')
			.map((i) => ({ title: i.text, url: safeLinkUrl(i.url ?? '') ?? '' })),
		notes: safeMarkdown(harvest.notes)
	};
}

export type ReportSession = ReturnType<typeof reportSession>;

/**
 * The report data. Anyone may read it once published (the route checks the event is public);
 * before that only people who may review it, as a preview.
 */
export async function eventReport(actor: Actor, eventId: number) {
	const settings = await reportSettings(eventId);
	const published = settings.publishedAt !== null;
	if (!published && !(await hasEventPermission(actor, eventId, 'harvest.review'))) {
		throw notFound();
	}
	const e = schema.events;
	const [[event], list, talks] = await Promise.all([
		db()
			.select({
				name: e.name,
				slug: e.slug,
				timeZone: e.timeZone,
				startDate: e.startDate,
				endDate: e.endDate
			})
			.from(e)
			.where(eq(e.id, eventId)),
		agendaHarvests(eventId),
		publicProgramme(eventId)
	]);
	if (!event) throw notFound();
	// A harvest edited after its review is published as approved until the organiser approves again.
	const included = list.filter(inReport).map(asReviewed);
	const rounds = byRoundAndBlock(included, reportSession);
	const actions = included.flatMap((x) =>
		actionsOf(x).map((a) => ({ ...a, sessionId: x.session.id, session: x.session.title }))
	);
	return {
		event,
		licence: settings.licence,
		publishedAt: settings.publishedAt,
		published,
		rounds,
		talks: talks.map(({ date, block, talks }) => ({
			date,
			block: { title: block.title, startsAt: block.startsAt, endsAt: block.endsAt },
			talks: talks.map((t) => ({
				title: t.title,
				presenters: t.presenters,
				summary: safeMarkdown(t.summary),
				startsAt: t.startsAt,
				endsAt: t.endsAt
			}))
		})),
		actions
	};
}

export type EventReport = Awaited<ReturnType<typeof eventReport>>;

/** The report with its Markdown texts rendered (sanitised) for the page. */
export function reportHtml(report: EventReport) {
	const md = <T extends { text: string }>(x: T) => ({ ...x, html: renderMarkdown(x.text) });
	return {
		...report,
		rounds: report.rounds.map((round) => ({
			...round,
			blocks: round.blocks.map((block) => ({
				...block,
				sessions: block.sessions.map((s) => ({
					...s,
					insights: s.insights.map(md),
					actions: s.actions.map(md),
					questions: s.questions.map(md),
					notesHtml: renderMarkdown(s.notes)
				}))
			}))
		})),
		talks: report.talks.map((day) => ({
			...day,
			talks: day.talks.map((t) => ({ ...t, summaryHtml: renderMarkdown(t.summary) }))
		})),
		actions: report.actions.map(md)
	};
}

/**
 * The closing plenary: one slide per harvest that has something in it and is not hidden,
 * complete or not (the room hears it before the organisers' review), in agenda order.
 */
export async function plenarySlides(actor: Actor, eventId: number) {
	await requireEventPermission(actor, eventId, 'harvest.manage');
	const list = await agendaHarvests(eventId);
	return list
		.filter((x) => hasContent(x) && !isHidden(x))
		.map((x) => {
			const s = reportSession(x);
			return {
				sessionId: s.id,
				round: x.roundTitle,
				title: s.title,
				room: s.room,
				startsAt: s.startsAt,
				endsAt: s.endsAt,
				question: s.question,
				insights: s.insights.slice(0, 3).map((i) => renderMarkdown(i.text)),
				moreInsights: Math.max(0, s.insights.length - 3),
				actions: s.actions.map((a) => ({ ...a, html: renderMarkdown(a.text) }))
			};
		});
}

export type PlenarySlide = Awaited<ReturnType<typeof plenarySlides>>[number];
