import { and, asc, desc, eq, inArray, isNotNull, or } from 'drizzle-orm';
import type { TalkStatus } from '$lib/constants';
import { m } from '$lib/paraglide/messages';
import type { CallInput, DraftInput, TalkInput } from '$lib/schemas/talks';
import { ANSWER_MAX } from '$lib/schemas/talks';
import { zonedToInstant } from '$lib/time';
import { logActivity } from '../core/activity';
import { participation, requireEventPermission, requireUser, type Actor } from '../auth/guards';
import { db, schema, type Db, type Tx } from '../db';
import { DomainError, invalid, notFound } from '../core/errors';
import { live } from '../live/hub';

export type TalkCall = typeof schema.talkCalls.$inferSelect;
export type Talk = typeof schema.talks.$inferSelect;
export type CallState = 'none' | 'not_yet' | 'open' | 'closed';

/** Statuses a presenter may still edit in, while the call is open. */
const EDITABLE: readonly TalkStatus[] = ['draft', 'submitted', 'accepted', 'reserve'];

export async function getCall(eventId: number): Promise<TalkCall | null> {
	const [call] = await db()
		.select()
		.from(schema.talkCalls)
		.where(eq(schema.talkCalls.eventId, eventId));
	return call ?? null;
}

export function callState(call: TalkCall | null, now = new Date()): CallState {
	if (!call) return 'none';
	if (now < call.opensAt) return 'not_yet';
	return now < call.closesAt ? 'open' : 'closed';
}

// The templates keep their placeholders; they are filled in when the decisions are sent.
const PLACEHOLDERS = { name: '{name}', title: '{title}', event: '{event}', url: '{url}' };

export function defaultTemplates() {
	return {
		acceptedTemplate: m.talk_template_accepted(PLACEHOLDERS),
		reserveTemplate: m.talk_template_reserve(PLACEHOLDERS),
		declinedTemplate: m.talk_template_declined(PLACEHOLDERS)
	};
}

const instant = (value: string, timeZone: string) => {
	const [date, time] = value.split('T');
	return zonedToInstant(date, time, timeZone);
};

export async function saveCall(actor: Actor, eventId: number, input: CallInput): Promise<TalkCall> {
	const who = await requireEventPermission(actor, eventId, 'talks.manage');
	const [event] = await db().select().from(schema.events).where(eq(schema.events.id, eventId));
	if (!event) throw notFound();
	const values = {
		...input,
		opensAt: instant(input.opensAt, event.timeZone),
		closesAt: instant(input.closesAt, event.timeZone),
		updatedAt: new Date()
	};
	return db().transaction(async (tx) => {
		const [call] = await tx
			.insert(schema.talkCalls)
			.values({ eventId, ...values })
			.onConflictDoUpdate({ target: schema.talkCalls.eventId, set: values })
			.returning();
		await logActivity(tx, { eventId, actorId: who.id, action: 'talks.call_saved', data: {} });
		return call;
	});
}

/** Is this person the submitter or a confirmed co-presenter of the talk? */
export async function isPresenter(tx: Tx | Db, talk: Talk, userId: number): Promise<boolean> {
	if (talk.submitterId === userId) return true;
	const [row] = await tx
		.select({ id: schema.talkPresenters.id })
		.from(schema.talkPresenters)
		.where(
			and(
				eq(schema.talkPresenters.talkId, talk.id),
				eq(schema.talkPresenters.userId, userId),
				isNotNull(schema.talkPresenters.confirmedAt)
			)
		);
	return !!row;
}

/** A talk of this event that the actor presents, or not found (never "forbidden": no leaks). */
async function presentedTalk(
	tx: Tx | Db,
	actor: Actor,
	eventId: number,
	talkId: number,
	lock = false
) {
	requireUser(actor);
	const query = tx
		.select()
		.from(schema.talks)
		.where(and(eq(schema.talks.id, talkId), eq(schema.talks.eventId, eventId)));
	const [talk] = lock ? await query.for('update') : await query;
	if (!talk || !(await isPresenter(tx, talk, actor.id))) throw notFound();
	return talk;
}

/** The talks this person sends in or presents at this event, newest first. */
export async function myTalks(actor: Actor, eventId: number): Promise<Talk[]> {
	if (!actor) return [];
	const t = schema.talks;
	const p = schema.talkPresenters;
	const rows = await db()
		.selectDistinct({ talk: t })
		.from(t)
		.leftJoin(p, and(eq(p.talkId, t.id), eq(p.userId, actor.id), isNotNull(p.confirmedAt)))
		.where(and(eq(t.eventId, eventId), or(eq(t.submitterId, actor.id), isNotNull(p.id))))
		.orderBy(desc(t.createdAt));
	return rows.map((r) => r.talk);
}

/** Presenters may edit a talk while the call is open and the talk is still in play. */
export function talkEditable(call: TalkCall | null, talk: Talk): boolean {
	return callState(call) === 'open' && EDITABLE.includes(talk.status);
}

/** The presenters invited to these talks (the submitter aside), in the order they were added. */
export async function presentersOf(talkIds: number[]) {
	if (talkIds.length === 0) return [];
	const p = schema.talkPresenters;
	const rows = await db()
		.select({ talkId: p.talkId, id: p.id, email: p.email, confirmed: isNotNull(p.confirmedAt) })
		.from(p)
		.where(inArray(p.talkId, talkIds))
		.orderBy(asc(p.id));
	return rows.map((r) => ({ ...r, confirmed: Boolean(r.confirmed) }));
}

export async function talkForPresenter(actor: Actor, eventId: number, talkId: number) {
	const talk = await presentedTalk(db(), actor, eventId, talkId);
	const [presenters, call] = await Promise.all([presentersOf([talk.id]), getCall(eventId)]);
	return { talk, presenters, call, editable: talkEditable(call, talk) };
}

async function checkContent(
	tx: Tx,
	eventId: number,
	call: TalkCall,
	input: DraftInput,
	answers: string[]
) {
	if (input.summary.length > call.summaryMax) {
		throw invalid({
			summary: m.error_summary_too_long({ max: call.summaryMax, length: input.summary.length })
		});
	}
	const long = answers.findIndex((a) => a.length > ANSWER_MAX);
	if (long !== -1)
		throw invalid({ [`answer${long}`]: m.error_answer_too_long({ max: ANSWER_MAX }) });
	if (input.preferredDayId !== null) {
		const [day] = await tx
			.select({ id: schema.days.id })
			.from(schema.days)
			.where(and(eq(schema.days.id, input.preferredDayId), eq(schema.days.eventId, eventId)));
		if (!day) throw invalid({ preferredDayId: m.error_not_in_event() });
	}
}

async function openCall(eventId: number): Promise<TalkCall> {
	const call = await getCall(eventId);
	const state = callState(call);
	if (state === 'none') throw invalid({ _form: m.error_no_call() });
	if (state === 'not_yet') throw invalid({ _form: m.error_call_not_open() });
	if (state === 'closed') throw invalid({ _form: m.error_call_closed() });
	return call!;
}

async function writeTalk(
	actor: Actor,
	eventId: number,
	talkId: number | null,
	input: DraftInput,
	answers: string[],
	submit: boolean
): Promise<Talk> {
	requireUser(actor);
	const call = await openCall(eventId);
	const questions = call.questions.length;
	const kept = answers.slice(0, questions);
	return db().transaction(async (tx) => {
		await checkContent(tx, eventId, call, input, kept);
		if (
			submit &&
			call.ticketRule === 'submit' &&
			!(await participation(actor, eventId, null, tx))
		) {
			throw invalid({ _form: m.error_ticket_to_submit() });
		}
		const now = new Date();
		const content = { ...input, answers: kept, updatedAt: now };
		if (talkId === null) {
			const [talk] = await tx
				.insert(schema.talks)
				.values({
					eventId,
					submitterId: actor.id,
					...content,
					status: submit ? 'submitted' : 'draft',
					submittedAt: submit ? now : null
				})
				.returning();
			await logActivity(tx, {
				eventId,
				actorId: actor.id,
				action: submit ? 'talk.submitted' : 'talk.drafted',
				data: { talkId: talk.id }
			});
			return talk;
		}
		const talk = await presentedTalk(tx, actor, eventId, talkId, true);
		if (!EDITABLE.includes(talk.status)) throw invalid({ _form: m.error_talk_not_editable() });
		const first = submit && talk.status === 'draft';
		const [saved] = await tx
			.update(schema.talks)
			.set({ ...content, ...(first ? { status: 'submitted' as const, submittedAt: now } : {}) })
			.where(eq(schema.talks.id, talk.id))
			.returning();
		if (first || submit) {
			await logActivity(tx, {
				eventId,
				actorId: actor.id,
				action: first ? 'talk.submitted' : 'talk.edited',
				data: { talkId: talk.id }
			});
		}
		return saved;
	});
}

/** Autosave: keeps what has been typed, complete or not. A submitted talk stays submitted. */
export function saveDraft(
	actor: Actor,
	eventId: number,
	talkId: number | null,
	input: DraftInput,
	answers: string[]
): Promise<Talk> {
	return writeTalk(actor, eventId, talkId, input, answers, false);
}

/** Send a talk in (or save the edits of one already sent). */
export function submitTalk(
	actor: Actor,
	eventId: number,
	talkId: number | null,
	input: TalkInput,
	answers: string[]
): Promise<Talk> {
	return writeTalk(actor, eventId, talkId, input, answers, true);
}

export async function withdrawTalk(actor: Actor, eventId: number, talkId: number): Promise<void> {
	requireUser(actor);
	await db().transaction(async (tx) => {
		const talk = await presentedTalk(tx, actor, eventId, talkId, true);
		if (talk.status === 'withdrawn') return;
		await tx
			.update(schema.talks)
			.set({ status: 'withdrawn', blockId: null, updatedAt: new Date() })
			.where(eq(schema.talks.id, talk.id));
		await logActivity(tx, {
			eventId,
			actorId: actor.id,
			action: 'talk.withdrawn',
			data: { talkId: talk.id, was: talk.status }
		});
		if (talk.blockId !== null) await live().publish(eventId, 'programme', {}, tx);
	});
}

export function refuseState(): DomainError {
	return invalid({ _form: m.error_talk_state() });
}
