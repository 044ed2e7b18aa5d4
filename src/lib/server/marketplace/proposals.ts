import { and, asc, desc, eq, type SQL } from 'drizzle-orm';
import { m } from '$lib/paraglide/messages';
import type { ProposalInput } from '$lib/schemas/marketplace';
import { logActivity } from '../core/activity';
import { hasEventPermission, requireParticipant, requireUser, type Actor } from '../auth/guards';
import { db, schema, type Tx } from '../db';
import { DomainError, invalid, notFound } from '../core/errors';
import { announceCard } from './card';
import { convenersOf, convenes } from './conveners';
import { requirePhase, roundOf } from './rounds';
import type { ProposalContent } from '../db/schema/marketplace';
import { shownName } from '../people/shown-name';

// Session proposals in the marketplace: posted by ticket holders while the round's phase takes
// them (PHASE_RULES), edited by their conveners with a history of every version.

export type Proposal = typeof schema.proposals.$inferSelect;

const p = schema.proposals;

const content = (input: ProposalInput): ProposalContent => ({
	title: input.title,
	question: input.question,
	description: input.description,
	format: input.format,
	groupSize: input.groupSize
});

export async function propose(
	actor: Actor,
	eventId: number,
	roundId: number,
	input: ProposalInput
): Promise<Proposal> {
	requireUser(actor);
	await requireParticipant(actor, eventId, 'marketplace.run');
	return db().transaction(async (tx) => {
		const round = await roundOf(tx, eventId, roundId);
		requirePhase(round, 'propose');
		const [proposal] = await tx
			.insert(p)
			.values({ eventId, roundId: round.id, ...content(input), createdBy: actor.id })
			.returning();
		await tx.insert(schema.conveners).values({ proposalId: proposal.id, userId: actor.id });
		await tx.insert(schema.proposalVersions).values({
			proposalId: proposal.id,
			version: 1,
			content: content(input),
			editedBy: actor.id
		});
		await logActivity(tx, {
			eventId,
			actorId: actor.id,
			action: 'proposal.posted',
			data: { proposalId: proposal.id }
		});
		await announceCard(tx, eventId, proposal.id);
		return proposal;
	});
}

/** Thrown when an edit was based on an old version: carries the current proposal to show. */
export class StaleEdit extends DomainError {
	constructor(readonly current: Proposal) {
		super('invalid', 'Stale edit', { _form: m.error_stale_edit() });
	}
}

/**
 * A convener's edit, based on the version they saw. The UPDATE only matches that version, so of
 * two people editing at once the second is refused and shown the current text.
 */
export async function editProposal(
	actor: Actor,
	eventId: number,
	proposalId: number,
	input: ProposalInput & { version: number }
): Promise<Proposal> {
	requireUser(actor);
	const runsMarketplace = await hasEventPermission(actor, eventId, 'marketplace.run');
	return db().transaction(async (tx) => {
		const [proposal] = await tx
			.select()
			.from(p)
			.where(and(eq(p.id, proposalId), eq(p.eventId, eventId)));
		if (!proposal || proposal.status !== 'open') throw notFound();
		if (!runsMarketplace && !(await convenes(tx, proposal.id, actor.id))) {
			throw invalid({ _form: m.error_not_convener() });
		}
		return saveVersion(tx, actor.id, proposal, content(input), input.version);
	});
}

/**
 * The step every edit of a proposal's text takes (a convener's own, a suggestion taken): the
 * UPDATE only matches the version the change was based on, and the new version joins the history.
 */
export async function saveVersion(
	tx: Tx,
	actorId: number,
	proposal: Proposal,
	next: ProposalContent,
	baseVersion: number
): Promise<Proposal> {
	requirePhase(await roundOf(tx, proposal.eventId, proposal.roundId), 'edit');
	const [saved] = await tx
		.update(p)
		.set({ ...next, version: proposal.version + 1, updatedAt: new Date() })
		.where(and(eq(p.id, proposal.id), eq(p.version, baseVersion)))
		.returning();
	if (!saved) throw new StaleEdit(proposal);
	await tx.insert(schema.proposalVersions).values({
		proposalId: saved.id,
		version: saved.version,
		content: next,
		editedBy: actorId
	});
	await logActivity(tx, {
		eventId: saved.eventId,
		actorId,
		action: 'proposal.edited',
		data: { proposalId: saved.id, version: saved.version }
	});
	await announceCard(tx, saved.eventId, saved.id);
	return saved;
}

/** Every version, newest first, with who made it. */
export async function proposalHistory(eventId: number, proposalId: number) {
	const v = schema.proposalVersions;
	return db()
		.select({
			version: v.version,
			content: v.content,
			editedAt: v.editedAt,
			editor: shownName(eventId) as SQL<string | null>
		})
		.from(v)
		.innerJoin(p, eq(p.id, v.proposalId))
		.leftJoin(schema.users, eq(schema.users.id, v.editedBy))
		.where(and(eq(v.proposalId, proposalId), eq(p.eventId, eventId)))
		.orderBy(desc(v.version));
}

export async function joinAsConvener(
	actor: Actor,
	eventId: number,
	proposalId: number
): Promise<void> {
	requireUser(actor);
	await requireParticipant(actor, eventId, 'marketplace.run');
	await db().transaction(async (tx) => {
		const [proposal] = await tx
			.select()
			.from(p)
			.where(and(eq(p.id, proposalId), eq(p.eventId, eventId), eq(p.status, 'open')));
		if (!proposal) throw notFound();
		requirePhase(await roundOf(tx, eventId, proposal.roundId), 'join');
		const [joined] = await tx
			.insert(schema.conveners)
			.values({ proposalId, userId: actor.id })
			.onConflictDoNothing()
			.returning();
		if (joined) {
			await logActivity(tx, {
				eventId,
				actorId: actor.id,
				action: 'proposal.convener_joined',
				data: { proposalId }
			});
		}
		await announceCard(tx, eventId, proposalId);
	});
}

export async function listProposals(eventId: number, roundId: number) {
	return db()
		.select()
		.from(p)
		.where(and(eq(p.eventId, eventId), eq(p.roundId, roundId), eq(p.status, 'open')))
		.orderBy(asc(p.createdAt));
}

/** A round's open proposals, each with its conveners. */
export async function proposalsWithConveners(eventId: number, roundId: number) {
	const list = await listProposals(eventId, roundId);
	const conveners = await convenersOf(
		db(),
		list.map((x) => x.id)
	);
	return list.map((x) => ({ ...x, conveners: conveners.get(x.id) ?? [] }));
}

/** One proposal of this event (another event's id is not found), its round and conveners. */
export async function proposalDetail(eventId: number, proposalId: number) {
	const [row] = await db()
		.select({ proposal: p, round: schema.rounds })
		.from(p)
		.innerJoin(schema.rounds, eq(schema.rounds.id, p.roundId))
		.where(and(eq(p.id, proposalId), eq(p.eventId, eventId)));
	if (!row) throw notFound();
	const conveners = await convenersOf(db(), [proposalId]);
	return { ...row.proposal, round: row.round, conveners: conveners.get(proposalId) ?? [] };
}
