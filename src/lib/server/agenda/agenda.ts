import { and, asc, eq, inArray, ne, notInArray } from 'drizzle-orm';
import { m } from '$lib/paraglide/messages';
import type { RoundPhase } from '$lib/constants';
import { PHASE_RULES } from '$lib/marketplace/phases';
import { logActivity } from '../core/activity';
import type { ActivityCodesUnder } from '../core/activity-sentences';
import { planAgenda } from './plan';
import { requireEventPermission, type Actor } from '../auth/guards';
import { db, schema, type Tx } from '../db';
import { invalid, notFound } from '../core/errors';
import { live } from '../live/hub';
import { convenersOf } from '../marketplace/conveners';
import { demandOf, roundBlocksOf } from './grid';
import { newConflicts, type Conflict } from '$lib/agenda/conflicts';
import type { AgendaUndo } from '$lib/agenda/undo';
import { conflictsNow } from './checks';

export {
	agendaOf,
	daysAround,
	demandOf,
	publishedAgenda,
	roundBlocksOf,
	sessionRoundBlocks
} from './grid';

// The agenda of a round: its sessions in the (block × room) grid of the round's session-round
// blocks. Every change locks the round row first, so two facilitators editing at once take
// turns; that lock is also what keeps one session per slot (there is no unique index on the
// slot, so a swap can pass through a moment with two sessions in one room).
// A hand edit answers with the conflicts it brought (`$lib/agenda/conflicts.ts`) and the step
// that takes it back; its live message carries where sessions now are, so boards move them in
// place.

/** What a hand edit answers: the conflicts it brought and how to take it back. */
export interface AgendaEdit {
	conflicts: Conflict[];
	undo: AgendaUndo;
}

/** Where a session now is. */
type Placed = { id: number; blockId: number; roomId: number };

export type AgendaSession = typeof schema.agendaSessions.$inferSelect;

const s = schema.agendaSessions;
const rb = schema.roundBlocks;
const bl = schema.blocks;

async function lockRound(tx: Tx, eventId: number, roundId: number) {
	const [round] = await tx
		.select()
		.from(schema.rounds)
		.where(and(eq(schema.rounds.id, roundId), eq(schema.rounds.eventId, eventId)))
		.for('update');
	if (!round) throw notFound();
	return round;
}

/** Lock the round a session belongs to, then read the session again under that lock. */
async function lockSession(tx: Tx, eventId: number, sessionId: number) {
	const [found] = await tx
		.select({ roundId: s.roundId })
		.from(s)
		.where(and(eq(s.id, sessionId), eq(s.eventId, eventId)));
	if (!found) throw notFound();
	const round = await lockRound(tx, eventId, found.roundId);
	requireAgendaPhase(round);
	const [session] = await tx.select().from(s).where(eq(s.id, sessionId));
	if (!session) throw notFound();
	return { round, session };
}

function requireAgendaPhase(round: { phase: RoundPhase }) {
	if (!PHASE_RULES[round.phase].agenda) {
		throw invalid({ _form: m.agenda_error_not_closed() });
	}
}

async function changed(
	tx: Tx,
	eventId: number,
	actorId: number,
	roundId: number,
	action: `agenda.${ActivityCodesUnder<'agenda'>}`,
	data: Record<string, unknown> = {},
	moved: Placed[] = []
) {
	await logActivity(tx, { eventId, actorId, action, data: { roundId, ...data } });
	await live().publish(eventId, 'agenda', { roundId, moved }, tx);
}

/**
 * Choose the session-round blocks this round's agenda fills. A block fills one round only;
 * sessions in a block taken off the round go back to the unscheduled list.
 */
export async function setRoundBlocks(
	actor: Actor,
	eventId: number,
	roundId: number,
	blockIds: number[]
): Promise<void> {
	const who = await requireEventPermission(actor, eventId, 'marketplace.run');
	await db().transaction(async (tx) => {
		// The event row serialises choices across rounds, so one block cannot go to two at once.
		await tx
			.select({ id: schema.events.id })
			.from(schema.events)
			.where(eq(schema.events.id, eventId))
			.for('update');
		await lockRound(tx, eventId, roundId);
		const wanted = [...new Set(blockIds)];
		const found = wanted.length
			? await tx
					.select({ id: bl.id })
					.from(bl)
					.where(and(inArray(bl.id, wanted), eq(bl.eventId, eventId), eq(bl.kind, 'session_round')))
			: [];
		if (found.length !== wanted.length) {
			throw invalid({ blockIds: m.agenda_error_block_kind() });
		}
		if (wanted.length) {
			const [other] = await tx
				.select({ title: schema.rounds.title })
				.from(rb)
				.innerJoin(schema.rounds, eq(schema.rounds.id, rb.roundId))
				.where(and(inArray(rb.blockId, wanted), ne(rb.roundId, roundId)))
				.limit(1);
			if (other) throw invalid({ blockIds: m.agenda_error_block_taken({ round: other.title }) });
		}
		await tx
			.delete(s)
			.where(
				and(eq(s.roundId, roundId), wanted.length ? notInArray(s.blockId, wanted) : undefined)
			);
		await tx.delete(rb).where(eq(rb.roundId, roundId));
		if (wanted.length) {
			await tx.insert(rb).values(wanted.map((blockId) => ({ roundId, blockId })));
		}
		await changed(tx, eventId, who.id, roundId, 'agenda.blocks', { blockIds: wanted });
	});
}

/** Place the round's open proposals by votes; pinned sessions stay, the rest is redone. */
export async function generateAgenda(actor: Actor, eventId: number, roundId: number) {
	const who = await requireEventPermission(actor, eventId, 'marketplace.run');
	return db().transaction(async (tx) => {
		const round = await lockRound(tx, eventId, roundId);
		requireAgendaPhase(round);
		const blocks = await roundBlocksOf(eventId, roundId, tx);
		if (!blocks.length) throw invalid({ _form: m.agenda_error_no_blocks() });
		const rooms = await tx
			.select({ id: schema.rooms.id, capacity: schema.rooms.capacity })
			.from(schema.rooms)
			.where(eq(schema.rooms.eventId, eventId))
			.orderBy(asc(schema.rooms.id));
		if (!rooms.length) throw invalid({ _form: m.agenda_error_no_rooms() });
		const p = schema.proposals;
		const proposals = await tx
			.select({ id: p.id, blockIds: p.blockIds, createdAt: p.createdAt })
			.from(p)
			.where(and(eq(p.eventId, eventId), eq(p.roundId, roundId), eq(p.status, 'open')));
		const existing = await tx.select().from(s).where(eq(s.roundId, roundId));
		const ids = [...new Set([...proposals.map((x) => x.id), ...existing.map((x) => x.proposalId)])];
		const conveners = await convenersOf(tx, ids);
		const demand = await demandOf(tx, ids);
		const convenerIds = (id: number) => (conveners.get(id) ?? []).map((c) => c.id);
		const pinned = existing.filter((x) => x.pinned);
		const plan = planAgenda({
			blocks,
			rooms,
			proposals: proposals.map((x) => ({
				id: x.id,
				...demand.get(x.id)!,
				conveners: convenerIds(x.id),
				blockIds: x.blockIds,
				createdAt: x.createdAt.getTime()
			})),
			pins: pinned.map((x) => ({ ...x, conveners: convenerIds(x.proposalId) }))
		});

		const planned = new Map(plan.placed.map((x) => [x.proposalId, x]));
		for (const session of existing) {
			const expected = demand.get(session.proposalId)!.expected;
			const place = session.pinned ? session : planned.get(session.proposalId);
			if (!place) {
				await tx.delete(s).where(eq(s.id, session.id));
				continue;
			}
			planned.delete(session.proposalId);
			if (place.blockId !== session.blockId) await forgetPeople(tx, [session.id]);
			await tx
				.update(s)
				.set({ blockId: place.blockId, roomId: place.roomId, expected })
				.where(eq(s.id, session.id));
		}
		if (planned.size) {
			await tx.insert(s).values(
				[...planned.values()].map((x) => ({
					eventId,
					roundId,
					...x,
					expected: demand.get(x.proposalId)!.expected
				}))
			);
		}
		await changed(tx, eventId, who.id, roundId, 'agenda.generated', {
			placed: plan.placed.length + pinned.length,
			unscheduled: plan.unscheduled.length
		});
		return { placed: plan.placed.length + pinned.length, unscheduled: plan.unscheduled };
	});
}

/** A session moved to another time: "I'll be there" and "I'm here" were for the old one. */
async function forgetPeople(tx: Tx, sessionIds: number[]) {
	await tx
		.delete(schema.sessionAttendance)
		.where(inArray(schema.sessionAttendance.sessionId, sessionIds));
	await tx
		.delete(schema.sessionPresence)
		.where(inArray(schema.sessionPresence.sessionId, sessionIds));
}

/** The block must be one of the round's, the room one of the event's. */
async function checkSlot(
	tx: Tx,
	eventId: number,
	roundId: number,
	blockId: number,
	roomId: number,
	field: string
) {
	const [block] = await tx
		.select({ id: rb.blockId })
		.from(rb)
		.innerJoin(bl, eq(bl.id, rb.blockId))
		.where(and(eq(rb.roundId, roundId), eq(rb.blockId, blockId), eq(bl.eventId, eventId)));
	const [room] = await tx
		.select({ id: schema.rooms.id })
		.from(schema.rooms)
		.where(and(eq(schema.rooms.id, roomId), eq(schema.rooms.eventId, eventId)));
	if (!block || !room) throw invalid({ [field]: m.agenda_error_slot_unknown() });
}

async function refuseTakenSlot(tx: Tx, blockId: number, roomId: number, field: string) {
	const [taken] = await tx
		.select({ id: s.id })
		.from(s)
		.where(and(eq(s.blockId, blockId), eq(s.roomId, roomId)))
		.limit(1);
	if (taken) throw invalid({ [field]: m.agenda_error_slot_taken() });
}

/** Refuse when one of the proposal's conveners already runs another session in the block. */
async function refuseClash(
	tx: Tx,
	proposalId: number,
	blockId: number,
	except: number[],
	field: string
) {
	const c = schema.conveners;
	const mine = tx.select({ userId: c.userId }).from(c).where(eq(c.proposalId, proposalId));
	const [clash] = await tx
		.select({ name: schema.users.name, title: schema.proposals.title })
		.from(s)
		.innerJoin(c, eq(c.proposalId, s.proposalId))
		.innerJoin(schema.users, eq(schema.users.id, c.userId))
		.innerJoin(schema.proposals, eq(schema.proposals.id, s.proposalId))
		.where(
			and(
				eq(s.blockId, blockId),
				ne(s.proposalId, proposalId),
				except.length ? notInArray(s.id, except) : undefined,
				inArray(c.userId, mine)
			)
		)
		.limit(1);
	if (clash) throw invalid({ [field]: m.agenda_error_convener_clash(clash) });
}

/** Move a session into an empty slot of its round. */
export async function moveSession(
	actor: Actor,
	eventId: number,
	sessionId: number,
	blockId: number,
	roomId: number
): Promise<AgendaSession & AgendaEdit> {
	const who = await requireEventPermission(actor, eventId, 'marketplace.run');
	return db().transaction(async (tx) => {
		const { round, session } = await lockSession(tx, eventId, sessionId);
		await checkSlot(tx, eventId, round.id, blockId, roomId, 'slot');
		await refuseTakenSlot(tx, blockId, roomId, 'slot');
		await refuseClash(tx, session.proposalId, blockId, [session.id], 'slot');
		const before = await conflictsNow(tx, eventId, round.id);
		if (blockId !== session.blockId) await forgetPeople(tx, [session.id]);
		const [moved] = await tx
			.update(s)
			.set({ blockId, roomId })
			.where(eq(s.id, session.id))
			.returning();
		await changed(
			tx,
			eventId,
			who.id,
			round.id,
			'agenda.moved',
			{ sessionId, blockId, roomId, from: { blockId: session.blockId, roomId: session.roomId } },
			[{ id: sessionId, blockId, roomId }]
		);
		return {
			...moved,
			conflicts: newConflicts(before, await conflictsNow(tx, eventId, round.id)),
			undo: { action: 'move', sessionId, slot: `${session.blockId}-${session.roomId}` }
		};
	});
}

/** Two sessions of one round trade places. */
export async function swapSessions(
	actor: Actor,
	eventId: number,
	a: number,
	b: number
): Promise<AgendaEdit> {
	const who = await requireEventPermission(actor, eventId, 'marketplace.run');
	return db().transaction(async (tx) => {
		const { round, session: first } = await lockSession(tx, eventId, a);
		const [second] = await tx
			.select()
			.from(s)
			.where(and(eq(s.id, b), eq(s.eventId, eventId)));
		if (!second || second.id === first.id) throw invalid({ other: m.agenda_error_swap_unknown() });
		if (second.roundId !== round.id) throw invalid({ other: m.agenda_error_swap_unknown() });
		const before = await conflictsNow(tx, eventId, round.id);
		if (first.blockId !== second.blockId) {
			const both = [first.id, second.id];
			await refuseClash(tx, first.proposalId, second.blockId, both, 'other');
			await refuseClash(tx, second.proposalId, first.blockId, both, 'other');
			await forgetPeople(tx, both);
		}
		await tx
			.update(s)
			.set({ blockId: second.blockId, roomId: second.roomId })
			.where(eq(s.id, first.id));
		await tx
			.update(s)
			.set({ blockId: first.blockId, roomId: first.roomId })
			.where(eq(s.id, second.id));
		await changed(tx, eventId, who.id, round.id, 'agenda.swapped', { sessions: [a, b] }, [
			{ id: first.id, blockId: second.blockId, roomId: second.roomId },
			{ id: second.id, blockId: first.blockId, roomId: first.roomId }
		]);
		return {
			conflicts: newConflicts(before, await conflictsNow(tx, eventId, round.id)),
			undo: { action: 'swap', sessionId: a, other: b }
		};
	});
}

/** A pinned session stays where it is when the agenda is generated again. */
export async function pinSession(
	actor: Actor,
	eventId: number,
	sessionId: number,
	pinned: boolean
): Promise<AgendaEdit> {
	const who = await requireEventPermission(actor, eventId, 'marketplace.run');
	return db().transaction(async (tx) => {
		const { round, session } = await lockSession(tx, eventId, sessionId);
		await tx.update(s).set({ pinned }).where(eq(s.id, session.id));
		await changed(tx, eventId, who.id, round.id, pinned ? 'agenda.pinned' : 'agenda.unpinned', {
			sessionId
		});
		return { conflicts: [], undo: { action: 'pin', sessionId, pinned: session.pinned } };
	});
}

/** Take a session off the agenda; its proposal goes back to the unscheduled list. */
export async function unscheduleSession(
	actor: Actor,
	eventId: number,
	sessionId: number
): Promise<AgendaEdit> {
	const who = await requireEventPermission(actor, eventId, 'marketplace.run');
	return db().transaction(async (tx) => {
		const { round, session } = await lockSession(tx, eventId, sessionId);
		await tx.delete(s).where(eq(s.id, session.id));
		await changed(tx, eventId, who.id, round.id, 'agenda.unscheduled', {
			proposalId: session.proposalId
		});
		return {
			conflicts: [],
			undo: {
				action: 'place',
				proposalId: session.proposalId,
				slot: `${session.blockId}-${session.roomId}`
			}
		};
	});
}

/** Put a proposal that was left out into an empty slot of its round. */
export async function scheduleProposal(
	actor: Actor,
	eventId: number,
	proposalId: number,
	blockId: number,
	roomId: number
): Promise<AgendaSession & AgendaEdit> {
	const who = await requireEventPermission(actor, eventId, 'marketplace.run');
	return db().transaction(async (tx) => {
		const p = schema.proposals;
		const [found] = await tx
			.select({ roundId: p.roundId })
			.from(p)
			.where(and(eq(p.id, proposalId), eq(p.eventId, eventId), eq(p.status, 'open')));
		if (!found) throw notFound();
		const round = await lockRound(tx, eventId, found.roundId);
		requireAgendaPhase(round);
		const [already] = await tx.select({ id: s.id }).from(s).where(eq(s.proposalId, proposalId));
		if (already) throw invalid({ slot: m.agenda_error_already_scheduled() });
		await checkSlot(tx, eventId, round.id, blockId, roomId, 'slot');
		await refuseTakenSlot(tx, blockId, roomId, 'slot');
		await refuseClash(tx, proposalId, blockId, [], 'slot');
		const before = await conflictsNow(tx, eventId, round.id);
		const expected = (await demandOf(tx, [proposalId])).get(proposalId)!.expected;
		const [session] = await tx
			.insert(s)
			.values({ eventId, roundId: round.id, proposalId, blockId, roomId, expected })
			.returning();
		await changed(tx, eventId, who.id, round.id, 'agenda.scheduled', {
			proposalId,
			blockId,
			roomId
		});
		return {
			...session,
			conflicts: newConflicts(before, await conflictsNow(tx, eventId, round.id)),
			undo: { action: 'unschedule', sessionId: session.id }
		};
	});
}

/** Publish the round's agenda: the round becomes "scheduled" and every screen shows it. */
export async function publishAgenda(actor: Actor, eventId: number, roundId: number) {
	const who = await requireEventPermission(actor, eventId, 'marketplace.run');
	return db().transaction(async (tx) => {
		const round = await lockRound(tx, eventId, roundId);
		requireAgendaPhase(round);
		const [any] = await tx.select({ id: s.id }).from(s).where(eq(s.roundId, roundId)).limit(1);
		if (!any) throw invalid({ _form: m.agenda_error_empty() });
		const [saved] = await tx
			.update(schema.rounds)
			.set({ phase: 'scheduled', phaseEndsAt: null })
			.where(eq(schema.rounds.id, round.id))
			.returning();
		await logActivity(tx, {
			eventId,
			actorId: who.id,
			action: 'round.scheduled',
			data: { roundId }
		});
		// The same message setPhase sends, so the marketplace and the wall follow.
		await live().publish(eventId, 'phase', { roundId, phase: 'scheduled', phaseEndsAt: null }, tx);
		await changed(tx, eventId, who.id, roundId, 'agenda.published');
		return saved;
	});
}
