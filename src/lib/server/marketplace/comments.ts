import { and, asc, eq, type SQL } from 'drizzle-orm';
import * as v from 'valibot';
import { m } from '$lib/paraglide/messages';
import { fieldErrors } from '$lib/schemas/form';
import { commentSchema, proposalSchema, suggestionSchema } from '$lib/schemas/marketplace';
import { logActivity } from '../core/activity';
import { hasEventPermission, requireParticipant, requireUser, type Actor } from '../auth/guards';
import { db, schema, type Tx } from '../db';
import type { ProposalContent } from '../db/schema/marketplace';
import { invalid, notFound } from '../core/errors';
import { saveVersion, StaleEdit, type Proposal } from './proposals';
import { live } from '../live/hub';
import { convenes } from './conveners';
import { requirePhase, roundOf } from './rounds';
import { shownName } from '../people/shown-name';

// Comments and suggested changes on a proposal, from ticket holders and the people running the
// marketplace. Comments are welcome until voting closes (people still ask "what will you do?"
// while choosing where to put their dots); changes are suggested only while proposals are being
// shaped (proposing, refining). A convener takes or leaves each suggestion once: taking it is an
// edit like their own, based on the version they saw, recorded in the history under their name.

export type Comment = typeof schema.proposalComments.$inferSelect;
export type SuggestedChange = NonNullable<Comment['suggested']>;

const c = schema.proposalComments;
const p = schema.proposals;

export const SUGGESTED_FIELDS = ['title', 'question', 'description'] as const;

/**
 * An open proposal of this event that this person may talk about in this phase. Held with a
 * shared lock, so no comment lands on it while a merge (which locks it for update) moves it away.
 */
async function discussable(
	tx: Tx,
	actor: NonNullable<Actor>,
	eventId: number,
	proposalId: number,
	action: 'comment' | 'suggest'
): Promise<Proposal> {
	const [proposal] = await tx
		.select()
		.from(p)
		.where(and(eq(p.id, proposalId), eq(p.eventId, eventId)))
		.for('share');
	if (!proposal) throw notFound();
	await requireParticipant(actor, eventId, 'marketplace.run', tx);
	if (proposal.status !== 'open') throw invalid({ _form: m.mkr_error_not_open() });
	const round = await roundOf(tx, eventId, proposal.roundId);
	requirePhase(round, action);
	return proposal;
}

async function announce(tx: Tx, eventId: number, proposalId: number) {
	await live().publish(eventId, 'comment', { proposalId }, tx);
}

export async function addComment(
	actor: Actor,
	eventId: number,
	proposalId: number,
	body: string
): Promise<Comment> {
	requireUser(actor);
	const parsed = v.safeParse(commentSchema, { body });
	if (!parsed.success) throw invalid(fieldErrors(parsed.issues));
	return db().transaction(async (tx) => {
		await discussable(tx, actor, eventId, proposalId, 'comment');
		const [comment] = await tx
			.insert(c)
			.values({ eventId, proposalId, authorId: actor.id, body: parsed.output.body })
			.returning();
		await logActivity(tx, {
			eventId,
			actorId: actor.id,
			action: 'comment.added',
			data: { proposalId, commentId: comment.id }
		});
		await announce(tx, eventId, proposalId);
		return comment;
	});
}

export interface SuggestionRequest {
	title?: string;
	question?: string;
	description?: string;
	note: string;
	/** The version whose text the person started from; fields still equal to it are unchanged. */
	version?: number;
}

/** Check each suggested field with the proposal form's own rules. */
function checkSuggestion(input: SuggestionRequest) {
	const errors: Record<string, string> = {};
	const fields: SuggestedChange = {};
	for (const field of SUGGESTED_FIELDS) {
		if (input[field] === undefined) continue;
		const parsed = v.safeParse(proposalSchema.entries[field], input[field]);
		if (parsed.success) fields[field] = parsed.output;
		else errors[field] = parsed.issues[0].message;
	}
	const note = v.safeParse(suggestionSchema.entries.note, input.note);
	if (!note.success) errors.note = note.issues[0].message;
	if (Object.keys(errors).length) throw invalid(errors);
	return { fields, note: note.success ? note.output : '' };
}

export async function suggestChange(
	actor: Actor,
	eventId: number,
	proposalId: number,
	input: SuggestionRequest
): Promise<Comment> {
	requireUser(actor);
	const { fields, note } = checkSuggestion(input);
	return db().transaction(async (tx) => {
		const proposal = await discussable(tx, actor, eventId, proposalId, 'suggest');
		let base: Pick<ProposalContent, (typeof SUGGESTED_FIELDS)[number]> = proposal;
		if (input.version !== undefined && input.version !== proposal.version) {
			const [seen] = await tx
				.select({ content: schema.proposalVersions.content })
				.from(schema.proposalVersions)
				.where(
					and(
						eq(schema.proposalVersions.proposalId, proposal.id),
						eq(schema.proposalVersions.version, input.version)
					)
				);
			if (seen) base = seen.content;
		}
		// Only what the person changed, and only where it still differs from the text as it is now.
		const suggested: SuggestedChange = {};
		for (const field of SUGGESTED_FIELDS) {
			const value = fields[field];
			if (value !== undefined && value !== base[field] && value !== proposal[field]) {
				suggested[field] = value;
			}
		}
		if (!Object.keys(suggested).length) throw invalid({ _form: m.mkr_error_no_change() });
		const [comment] = await tx
			.insert(c)
			.values({
				eventId,
				proposalId,
				authorId: actor.id,
				kind: 'suggestion',
				body: note,
				suggested
			})
			.returning();
		await logActivity(tx, {
			eventId,
			actorId: actor.id,
			action: 'suggestion.made',
			data: { proposalId, commentId: comment.id, fields: Object.keys(suggested) }
		});
		await announce(tx, eventId, proposalId);
		return comment;
	});
}

/**
 * The suggestion and its proposal, locked for update (proposal first, as merges and edits do),
 * if this person convenes the proposal or runs the marketplace; then the suggestion's status
 * moves from 'open' with one guarded UPDATE, so of two conveners deciding at once only one does.
 */
async function decide(
	tx: Tx,
	actor: NonNullable<Actor>,
	runs: boolean,
	eventId: number,
	commentId: number,
	status: 'taken' | 'left'
) {
	const [found] = await tx
		.select({ proposalId: c.proposalId })
		.from(c)
		.where(and(eq(c.id, commentId), eq(c.eventId, eventId), eq(c.kind, 'suggestion')));
	if (!found) throw notFound();
	const [proposal] = await tx
		.select()
		.from(p)
		.where(and(eq(p.id, found.proposalId), eq(p.eventId, eventId)))
		.for('update');
	if (!proposal) throw notFound();
	if (!runs && !(await convenes(tx, proposal.id, actor.id))) {
		throw invalid({ _form: m.mkr_error_not_convener() });
	}
	if (proposal.status !== 'open') throw invalid({ _form: m.mkr_error_not_open() });
	const [suggestion] = await tx
		.update(c)
		.set({ status })
		.where(and(eq(c.id, commentId), eq(c.status, 'open')))
		.returning();
	if (!suggestion) throw invalid({ _form: m.mkr_error_suggestion_decided() });
	return { proposal, suggestion };
}

/**
 * A convener takes a suggestion: its fields replace the proposal's, as a new version based on
 * `baseVersion` (the text they saw it against). If the text changed since, it is refused with
 * the current text (StaleEdit) and the suggestion stays open.
 */
export async function takeSuggestion(
	actor: Actor,
	eventId: number,
	commentId: number,
	baseVersion: number
): Promise<Proposal> {
	requireUser(actor);
	const runs = await hasEventPermission(actor, eventId, 'marketplace.run');
	return db().transaction(async (tx) => {
		const { proposal, suggestion } = await decide(tx, actor, runs, eventId, commentId, 'taken');
		if (proposal.version !== baseVersion) throw new StaleEdit(proposal);
		const changes = suggestion.suggested ?? {};
		const next: ProposalContent = {
			title: changes.title ?? proposal.title,
			question: changes.question ?? proposal.question,
			description: changes.description ?? proposal.description,
			format: proposal.format,
			groupSize: proposal.groupSize
		};
		// Someone may have made the same change by hand already: then there is nothing to save.
		const changed = SUGGESTED_FIELDS.some((field) => next[field] !== proposal[field]);
		const saved = changed ? await saveVersion(tx, actor.id, proposal, next, baseVersion) : proposal;
		await logActivity(tx, {
			eventId,
			actorId: actor.id,
			action: 'suggestion.taken',
			data: { proposalId: proposal.id, commentId, version: saved.version }
		});
		await announce(tx, eventId, proposal.id);
		return saved;
	});
}

/** A convener leaves a suggestion: it stays in the thread, marked as not taken. */
export async function leaveSuggestion(
	actor: Actor,
	eventId: number,
	commentId: number
): Promise<void> {
	requireUser(actor);
	const runs = await hasEventPermission(actor, eventId, 'marketplace.run');
	await db().transaction(async (tx) => {
		const { proposal } = await decide(tx, actor, runs, eventId, commentId, 'left');
		await logActivity(tx, {
			eventId,
			actorId: actor.id,
			action: 'suggestion.left',
			data: { proposalId: proposal.id, commentId }
		});
		await announce(tx, eventId, proposal.id);
	});
}

/** A proposal's comments and suggestions, oldest first, with their authors' names. */
export async function listComments(eventId: number, proposalId: number) {
	return db()
		.select({
			id: c.id,
			kind: c.kind,
			body: c.body,
			suggested: c.suggested,
			status: c.status,
			createdAt: c.createdAt,
			authorId: c.authorId,
			author: shownName(eventId) as SQL<string | null>
		})
		.from(c)
		.leftJoin(schema.users, eq(schema.users.id, c.authorId))
		.where(and(eq(c.eventId, eventId), eq(c.proposalId, proposalId)))
		.orderBy(asc(c.createdAt), asc(c.id));
}
