import { and, eq, inArray } from 'drizzle-orm';
import { HARVEST_ITEM_KINDS, TALK_DECISIONS, EVENT_ROLES } from '$lib/constants';
import { roleLabel } from '$lib/labels';
import { m } from '$lib/paraglide/messages';
import type { Actor } from '../auth/guards';
import { db, schema } from '../db';
import { listEventActivity } from './activity';
import {
	ACTIVITY_SENTENCES,
	isActivityAction,
	type ActivityLink,
	type SentenceParams
} from './activity-sentences';

// The event's activity log as its organisers read it: each entry one sentence in their language,
// naming the things it touched (a talk, a proposal, a session, an order) by their titles and
// names as they are now, and leading to the page where that thing is. The log is an organisers'
// page, so people are named as organisers see them elsewhere: by account name, and by the name
// on the order for orders and tickets.

type Entry = Awaited<ReturnType<typeof listEventActivity>>[number];
type Data = Record<string, unknown>;

const id = (v: unknown) => (typeof v === 'number' && Number.isInteger(v) ? v : undefined);
const text = (v: unknown) => (typeof v === 'string' ? v : '');
const ids = (entries: Entry[], key: string) => [
	...new Set(entries.map((e) => id(e.data[key])).filter((x) => x !== undefined))
];

async function titles<T extends { id: number }>(
	list: number[],
	read: (list: number[]) => Promise<(T & { label: string })[]>
): Promise<Map<number, string>> {
	if (!list.length) return new Map();
	return new Map((await read(list)).map((row) => [row.id, row.label]));
}

/** Each thing the entries point at, by id, with its title or name now; one query per kind. */
async function lookups(eventId: number, entries: Entry[]) {
	const d = db();
	const { talks, proposals, rounds, orders, tickets, users, blocks, ticketTypes } = schema;
	const { agendaSessions: sessions, merges, mergeRequests: requests } = schema;
	const pairs = new Map<string, Map<number, { sourceId: number; targetId: number }>>();
	for (const [key, table] of [
		['mergeId', merges],
		['requestId', requests]
	] as const) {
		const list = ids(entries, key);
		const rows = list.length
			? await d
					.select({ id: table.id, sourceId: table.sourceId, targetId: table.targetId })
					.from(table)
					.where(and(eq(table.eventId, eventId), inArray(table.id, list)))
			: [];
		pairs.set(key, new Map(rows.map((r) => [r.id, r])));
	}
	const sessionIds = ids(entries, 'sessionId');
	const sessionRows = sessionIds.length
		? await d
				.select({ id: sessions.id, proposalId: sessions.proposalId })
				.from(sessions)
				.where(and(eq(sessions.eventId, eventId), inArray(sessions.id, sessionIds)))
		: [];
	const sessionProposal = new Map(sessionRows.map((r) => [r.id, r.proposalId]));
	const proposalIds = [
		...new Set([
			...['proposalId', 'sourceId', 'targetId'].flatMap((k) => ids(entries, k)),
			...[...pairs.values()].flatMap((p) =>
				[...p.values()].flatMap((r) => [r.sourceId, r.targetId])
			),
			...sessionProposal.values()
		])
	];
	return {
		pairs,
		sessionProposal,
		proposal: await titles(proposalIds, (list) =>
			d
				.select({ id: proposals.id, label: proposals.title })
				.from(proposals)
				.where(and(eq(proposals.eventId, eventId), inArray(proposals.id, list)))
		),
		talk: await titles(ids(entries, 'talkId'), (list) =>
			d
				.select({ id: talks.id, label: talks.title })
				.from(talks)
				.where(and(eq(talks.eventId, eventId), inArray(talks.id, list)))
		),
		round: await titles(ids(entries, 'roundId'), (list) =>
			d
				.select({ id: rounds.id, label: rounds.title })
				.from(rounds)
				.where(and(eq(rounds.eventId, eventId), inArray(rounds.id, list)))
		),
		order: await titles(ids(entries, 'orderId'), (list) =>
			d
				.select({ id: orders.id, label: orders.attendeeName })
				.from(orders)
				.where(and(eq(orders.eventId, eventId), inArray(orders.id, list)))
		),
		ticket: await titles(ids(entries, 'ticketId'), (list) =>
			d
				.select({ id: tickets.id, label: tickets.name })
				.from(tickets)
				.where(and(eq(tickets.eventId, eventId), inArray(tickets.id, list)))
		),
		block: await titles(ids(entries, 'blockId'), (list) =>
			d
				.select({ id: blocks.id, label: blocks.title })
				.from(blocks)
				.where(and(eq(blocks.eventId, eventId), inArray(blocks.id, list)))
		),
		type: await titles(ids(entries, 'ticketTypeId'), (list) =>
			d
				.select({ id: ticketTypes.id, label: ticketTypes.name })
				.from(ticketTypes)
				.where(and(eq(ticketTypes.eventId, eventId), inArray(ticketTypes.id, list)))
		),
		// Team members and people named by the admin: organisers see account names on the team page.
		person: await titles(ids(entries, 'userId'), (list) =>
			d.select({ id: users.id, label: users.name }).from(users).where(inArray(users.id, list))
		)
	};
}

type Lookups = Awaited<ReturnType<typeof lookups>>;

/** The ids an entry's sentence and link are about, whichever way its data names them. */
function subjects(data: Data, found: Lookups) {
	const pair =
		found.pairs.get('mergeId')?.get(id(data.mergeId) ?? -1) ??
		found.pairs.get('requestId')?.get(id(data.requestId) ?? -1);
	const sessionId = id(data.sessionId);
	return {
		proposalId: id(data.proposalId),
		sourceId: id(data.sourceId) ?? pair?.sourceId,
		targetId: id(data.targetId) ?? pair?.targetId,
		sessionId,
		sessionProposalId:
			(sessionId !== undefined ? found.sessionProposal.get(sessionId) : undefined) ??
			id(data.proposalId)
	};
}

function params(entry: Entry, found: Lookups): SentenceParams {
	const data = entry.data;
	const s = subjects(data, found);
	const named = (map: Map<number, string>, key: number | undefined) =>
		key === undefined ? '' : (map.get(key) ?? m.act_gone());
	const kind = text(data.field);
	const decision = text(data.decision);
	const role = text(data.role);
	const count =
		id(data.count) ??
		id(data.people) ??
		(Array.isArray(data.talkIds) ? data.talkIds.length : undefined) ??
		0;
	return {
		who: entry.actorName ?? m.activity_system(),
		talk: named(found.talk, id(data.talkId)),
		proposal: named(found.proposal, s.proposalId),
		source: named(found.proposal, s.sourceId),
		target: named(found.proposal, s.targetId),
		session: named(found.proposal, s.sessionProposalId),
		round: named(found.round, id(data.roundId)),
		holder:
			id(data.ticketId) !== undefined
				? named(found.ticket, id(data.ticketId))
				: id(data.orderId) !== undefined
					? named(found.order, id(data.orderId))
					: m.act_someone(),
		person: named(found.person, id(data.userId)),
		block: named(found.block, id(data.blockId)),
		type: named(found.type, id(data.ticketTypeId)),
		item: (HARVEST_ITEM_KINDS as readonly string[]).includes(kind)
			? ITEM[kind as (typeof HARVEST_ITEM_KINDS)[number]]()
			: m.act_item_other(),
		decision: (TALK_DECISIONS as readonly string[]).includes(decision)
			? DECISION[decision as (typeof TALK_DECISIONS)[number]]()
			: decision,
		role: (EVENT_ROLES as readonly string[]).includes(role)
			? roleLabel(role as (typeof EVENT_ROLES)[number])
			: role,
		rule:
			data.rule === 'anyone'
				? m.creators_rule_anyone()
				: data.rule === 'named'
					? m.creators_rule_named()
					: '',
		licence: text(data.licence),
		name: text(data.name),
		title: text(data.title),
		email: text(data.email),
		date: text(data.date),
		from: text(data.from),
		issuer: text(data.issuer),
		subject: text(data.subject),
		count
	};
}

const ITEM = {
	insight: m.act_item_insight,
	action: m.act_item_action,
	question: m.act_item_question,
	resource: m.act_item_resource
};
const DECISION = {
	accepted: m.act_decision_accepted,
	reserve: m.act_decision_reserve,
	declined: m.act_decision_declined
};

/** Where an entry leads, when the thing it is about still exists. */
export function activityHref(
	link: ActivityLink | null,
	slug: string,
	data: Data,
	found: Lookups
): string | null {
	const manage = `/manage/${slug}`;
	const s = subjects(data, found);
	const exists = (map: Map<number, string>, key: number | undefined) =>
		key !== undefined && map.has(key) ? key : undefined;
	const proposalPage = (key: number | undefined) => {
		const pid = exists(found.proposal, key);
		return pid === undefined ? null : `/e/${slug}/marketplace/${pid}`;
	};
	switch (link) {
		case 'talk': {
			const tid = exists(found.talk, id(data.talkId));
			return tid === undefined ? null : `${manage}/talks/${tid}`;
		}
		case 'proposal':
			return proposalPage(s.proposalId);
		case 'source':
			return proposalPage(s.sourceId);
		case 'target':
			return proposalPage(s.targetId);
		case 'harvest':
			return s.sessionId !== undefined && found.sessionProposal.has(s.sessionId)
				? `/e/${slug}/sessions/${s.sessionId}/harvest`
				: null;
		case 'agenda': {
			const rid = exists(found.round, id(data.roundId));
			return rid === undefined ? null : `${manage}/marketplace/${rid}/agenda`;
		}
		case 'rounds':
			return `${manage}/marketplace`;
		case 'talks':
			return `${manage}/talks`;
		case 'talks_call':
			return `${manage}/talks/call`;
		case 'talks_order':
			return `${manage}/talks/order`;
		case 'report':
			return `/e/${slug}/report`;
		case 'directory':
			return `/e/${slug}/directory`;
		case 'overview':
			return manage;
		case 'stage':
		case 'rooms':
		case 'schedule':
		case 'tickets':
		case 'orders':
		case 'checkin':
		case 'messages':
		case 'team':
			return `${manage}/${link}`;
		default:
			return null;
	}
}

/** The sentence for one entry, in the current language. */
export function activitySentence(entry: Entry, found: Lookups): string {
	if (!isActivityAction(entry.action)) return entry.action;
	return ACTIVITY_SENTENCES[entry.action].say(params(entry, found));
}

/** The event's log, newest first, as sentences with links; for the event's organisers. */
export async function describeEventActivity(
	actor: Actor,
	event: { id: number; slug: string },
	limit = 200
) {
	const entries = await listEventActivity(actor, event.id, limit);
	const found = await lookups(event.id, entries);
	return entries.map((entry) => ({
		id: entry.id,
		createdAt: entry.createdAt,
		action: entry.action,
		sentence: activitySentence(entry, found),
		href: isActivityAction(entry.action)
			? activityHref(ACTIVITY_SENTENCES[entry.action].link, event.slug, entry.data, found)
			: null
	}));
}
