import { eq } from 'drizzle-orm';
import type { StageTalk, StageView } from '$lib/live/topics';
import type { StageAction } from '$lib/schemas/talks';
import { logActivity } from '../core/activity';
import { requireEventPermission, type Actor } from '../auth/guards';
import { db, schema } from '../db';
import { live } from '../live/hub';
import { publicProgramme, type ProgrammeTalk } from './running-order';
import { getCall } from './talks';

// What is on stage: the host steps through the running order (all days, in time order) and
// runs a clock per talk. The clock is stored as "running since" plus time already used, so every
// screen computes the same countdown from the same row.

const brief = (talk: ProgrammeTalk | undefined): StageTalk | null =>
	talk ? { id: talk.id, title: talk.title, presenters: talk.presenters } : null;

type StageRow = typeof schema.stage.$inferSelect;

/** The running order of every day, in time order, and the length of a talk. */
async function runningOrderFlat(eventId: number) {
	const [programme, call] = await Promise.all([publicProgramme(eventId), getCall(eventId)]);
	return { talks: programme.flatMap((x) => x.talks), talkMs: (call?.talkMinutes ?? 5) * 60_000 };
}

export async function stageView(eventId: number, now = new Date()): Promise<StageView> {
	const [row] = await db().select().from(schema.stage).where(eq(schema.stage.eventId, eventId));
	const { talks, talkMs } = await runningOrderFlat(eventId);
	return viewOf(row, talks, talkMs, now);
}

function viewOf(
	row: StageRow | undefined,
	talks: ProgrammeTalk[],
	talkMs: number,
	now: Date
): StageView {
	const at = talks.findIndex((x) => x.id === row?.talkId);
	const used =
		(row?.elapsedMs ?? 0) + (row?.startedAt ? now.getTime() - row.startedAt.getTime() : 0);
	return {
		current: at === -1 ? null : brief(talks[at]),
		next: brief(talks[at + 1]),
		running: at !== -1 && !!row?.startedAt,
		remainingMs: at === -1 ? talkMs : talkMs - used,
		talkMs,
		at: now.toISOString(),
		position: at + 1,
		total: talks.length
	};
}

function nextStage(
	row: StageRow,
	talks: ProgrammeTalk[],
	action: StageAction,
	now: Date
): Partial<StageRow> {
	const at = talks.findIndex((x) => x.id === row.talkId);
	if (action === 'reset') return { startedAt: null, elapsedMs: 0 };
	if (action === 'next' || action === 'back') {
		const to = action === 'next' ? at + 1 : Math.max(at - 1, 0);
		return { talkId: talks[to]?.id ?? null, startedAt: null, elapsedMs: 0 };
	}
	if (at === -1) {
		return { talkId: talks[0]?.id ?? null, startedAt: talks[0] ? now : null, elapsedMs: 0 };
	}
	if (!row.startedAt) return { startedAt: now };
	return { startedAt: null, elapsedMs: row.elapsedMs + (now.getTime() - row.startedAt.getTime()) };
}

/** space: start or pause the clock; next/back: move through the running order, clock reset. */
export async function controlStage(
	actor: Actor,
	eventId: number,
	action: StageAction,
	now = new Date()
): Promise<StageView> {
	const who = await requireEventPermission(actor, eventId, 'stage.run');
	const { talks, talkMs } = await runningOrderFlat(eventId);
	return db().transaction(async (tx) => {
		await tx.insert(schema.stage).values({ eventId }).onConflictDoNothing();
		const [row] = await tx
			.select()
			.from(schema.stage)
			.where(eq(schema.stage.eventId, eventId))
			.for('update');
		const next = nextStage(row, talks, action, now);
		const [saved] = await tx
			.update(schema.stage)
			.set({ ...next, updatedAt: now })
			.where(eq(schema.stage.eventId, eventId))
			.returning();
		await logActivity(tx, {
			eventId,
			actorId: who.id,
			action: `stage.${action}`,
			data: { talkId: next.talkId ?? row.talkId }
		});
		// Announced before the row lock is let go: two hosts pressing at once are heard in the
		// order their changes commit, so every screen ends on the stage as it is.
		const view = viewOf(saved, talks, talkMs, now);
		await live().publish(eventId, 'stage', view, tx);
		return view;
	});
}
