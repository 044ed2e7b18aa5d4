import { asc, eq, or, sql } from 'drizzle-orm';
import type { AnyPgColumn, PgSelect } from 'drizzle-orm/pg-core';
import { db, schema } from '../db';

// The open-space part of a person's data export: the marketplace, their agenda, and their
// harvest contributions. Sessions are named by their proposal's title.

const e = schema.events;
const p = schema.proposals;
const s = schema.agendaSessions;
const h = schema.harvests;

export const eventName = { eventName: e.name, eventSlug: e.slug };

/** Join an agenda session, its proposal (which names it) and its event. */
function joinSession<T extends PgSelect>(query: T, sessionId: AnyPgColumn) {
	return query
		.innerJoin(s, eq(s.id, sessionId))
		.innerJoin(p, eq(p.id, s.proposalId))
		.innerJoin(e, eq(e.id, s.eventId));
}

const joinHarvest = <T extends PgSelect>(query: T, harvestId: AnyPgColumn) =>
	joinSession(query.innerJoin(h, eq(h.id, harvestId)), h.sessionId);

export async function openSpaceData(id: number) {
	const [marketplace, agenda, harvest] = await Promise.all([
		marketplaceData(id),
		agendaData(id),
		harvestData(id)
	]);
	return { ...marketplace, ...agenda, ...harvest };
}

async function marketplaceData(id: number) {
	const v = schema.proposalVersions;
	const c = schema.conveners;
	const d = schema.dots;
	const b = schema.dotBudgets;
	const rd = schema.rounds;
	const cm = schema.proposalComments;
	const i = schema.interest;
	const mr = schema.mergeRequests;
	const proposalColumns = {
		id: p.id,
		...eventName,
		title: p.title,
		question: p.question,
		description: p.description,
		format: p.format,
		status: p.status,
		createdAt: p.createdAt
	};
	const [created, convening, versions, dots, budgets, comments, interest, mergeRequests] =
		await Promise.all([
			db()
				.select(proposalColumns)
				.from(p)
				.innerJoin(e, eq(e.id, p.eventId))
				.where(eq(p.createdBy, id))
				.orderBy(asc(p.id)),
			db()
				.select({ ...proposalColumns, joinedAt: c.joinedAt })
				.from(c)
				.innerJoin(p, eq(p.id, c.proposalId))
				.innerJoin(e, eq(e.id, p.eventId))
				.where(eq(c.userId, id))
				.orderBy(asc(p.id)),
			db()
				.select({
					proposalId: v.proposalId,
					version: v.version,
					content: v.content,
					editedAt: v.editedAt
				})
				.from(v)
				.where(eq(v.editedBy, id))
				.orderBy(asc(v.proposalId), asc(v.version)),
			db()
				.select({ proposalId: d.proposalId, title: p.title, round: rd.title, dots: d.count })
				.from(d)
				.innerJoin(p, eq(p.id, d.proposalId))
				.innerJoin(rd, eq(rd.id, d.roundId))
				.where(eq(d.userId, id))
				.orderBy(asc(d.roundId), asc(d.proposalId)),
			db()
				.select({ ...eventName, round: rd.title, used: b.used, budget: rd.dotBudget })
				.from(b)
				.innerJoin(rd, eq(rd.id, b.roundId))
				.innerJoin(e, eq(e.id, rd.eventId))
				.where(eq(b.userId, id))
				.orderBy(asc(b.roundId)),
			db()
				.select({
					id: cm.id,
					proposalId: cm.proposalId,
					proposal: p.title,
					kind: cm.kind,
					body: cm.body,
					suggested: cm.suggested,
					status: cm.status,
					createdAt: cm.createdAt
				})
				.from(cm)
				.innerJoin(p, eq(p.id, cm.proposalId))
				.where(eq(cm.authorId, id))
				.orderBy(asc(cm.id)),
			db()
				.select({ proposalId: i.proposalId, proposal: p.title, createdAt: i.createdAt })
				.from(i)
				.innerJoin(p, eq(p.id, i.proposalId))
				.where(eq(i.userId, id))
				.orderBy(asc(i.proposalId)),
			db()
				.select({
					id: mr.id,
					sourceId: mr.sourceId,
					targetId: mr.targetId,
					status: mr.status,
					requestedByYou: sql<boolean>`coalesce(${mr.requestedBy} = ${id}, false)`,
					decidedByYou: sql<boolean>`coalesce(${mr.decidedBy} = ${id}, false)`,
					createdAt: mr.createdAt,
					decidedAt: mr.decidedAt
				})
				.from(mr)
				.where(or(eq(mr.requestedBy, id), eq(mr.decidedBy, id)))
				.orderBy(asc(mr.id))
		]);
	return {
		proposals: { created, convening },
		proposalVersions: versions,
		votes: { dots, budgets },
		comments,
		interest,
		mergeRequests
	};
}

async function agendaData(id: number) {
	const at = schema.sessionAttendance;
	const pr = schema.sessionPresence;
	const [sessionAttendance, sessionPresence] = await Promise.all([
		joinSession(
			db()
				.select({ sessionId: at.sessionId, ...eventName, session: p.title })
				.from(at)
				.$dynamic(),
			at.sessionId
		)
			.where(eq(at.userId, id))
			.orderBy(asc(at.sessionId)),
		joinSession(
			db()
				.select({ sessionId: pr.sessionId, ...eventName, session: p.title, since: pr.since })
				.from(pr)
				.$dynamic(),
			pr.sessionId
		)
			.where(eq(pr.userId, id))
			.orderBy(asc(pr.since))
	]);
	return { sessionAttendance, sessionPresence };
}

/** A harvest's session title and event. */
const harvestOf = { ...eventName, session: p.title };

async function harvestData(id: number) {
	const c = schema.harvestChanges;
	const i = schema.harvestItems;
	const nt = schema.harvestNoteTakers;
	const ct = schema.harvestContinuers;
	const [changes, items, noteTaking, continuing] = await Promise.all([
		joinHarvest(
			db()
				.select({
					...harvestOf,
					field: c.field,
					itemId: c.itemId,
					change: c.change,
					version: c.version,
					value: c.value,
					createdAt: c.createdAt
				})
				.from(c)
				.$dynamic(),
			c.harvestId
		)
			.where(eq(c.userId, id))
			.orderBy(asc(c.id)),
		joinHarvest(
			db()
				.select({
					id: i.id,
					...harvestOf,
					kind: i.kind,
					text: i.text,
					owner: i.owner,
					dueOn: i.dueOn,
					url: i.url,
					createdAt: i.createdAt,
					removedAt: i.removedAt
				})
				.from(i)
				.$dynamic(),
			i.harvestId
		)
			.where(eq(i.createdBy, id))
			.orderBy(asc(i.id)),
		joinHarvest(
			db()
				.select({ ...harvestOf, assignedAt: nt.assignedAt })
				.from(nt)
				.$dynamic(),
			nt.harvestId
		).where(eq(nt.userId, id)),
		joinHarvest(
			db()
				.select({ ...harvestOf, contact: ct.contact, joinedAt: ct.joinedAt })
				.from(ct)
				.$dynamic(),
			ct.harvestId
		).where(eq(ct.userId, id))
	]);
	return { harvest: { changes, items, noteTaking, continuing } };
}
