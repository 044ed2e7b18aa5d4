import { and, asc, eq, inArray, isNotNull, sql } from 'drizzle-orm';
import { m } from '$lib/paraglide/messages';
import { logActivity } from '../core/activity';
import { requireEventPermission, ticketHolders, type Actor } from '../auth/guards';
import { db, schema, type Tx } from '../db';
import { invalid, notFound } from '../core/errors';
import { sendMail, mailTo } from '../core/mail';
import { live } from '../live/hub';
import { getCall, refuseState, type Talk } from './talks';

// Accepted talks are placed in the event's lightning-talk blocks and ordered there. A talk's
// slot is computed, never stored: block start + position × talk length, in real elapsed time,
// so a block that spans a daylight-saving change still runs on the clock on the wall.

const t = schema.talks;
const b = schema.blocks;

export interface Slot {
	startsAt: Date;
	endsAt: Date;
}

export function slotTimes(startsAt: Date, minutes: number, count: number): Slot[] {
	const length = minutes * 60_000;
	return Array.from({ length: count }, (_, i) => ({
		startsAt: new Date(startsAt.getTime() + i * length),
		endsAt: new Date(startsAt.getTime() + (i + 1) * length)
	}));
}

async function lightningBlocks(eventId: number) {
	return db()
		.select({ block: b, date: schema.days.date })
		.from(b)
		.innerJoin(schema.days, eq(schema.days.id, b.dayId))
		.where(and(eq(b.eventId, eventId), eq(b.kind, 'lightning_talks')))
		.orderBy(asc(b.startsAt));
}

async function placedTalks(eventId: number) {
	return db()
		.select()
		.from(t)
		.where(and(eq(t.eventId, eventId), eq(t.status, 'accepted'), isNotNull(t.blockId)))
		.orderBy(asc(t.position), asc(t.id));
}

/** Every presenter of each talk (submitter and confirmed co-presenters) with an account. */
async function presentersOf(talks: Talk[]) {
	const ids = talks.map((x) => x.id);
	const co = ids.length
		? await db()
				.select({ talkId: schema.talkPresenters.talkId, userId: schema.talkPresenters.userId })
				.from(schema.talkPresenters)
				.where(
					and(
						inArray(schema.talkPresenters.talkId, ids),
						isNotNull(schema.talkPresenters.confirmedAt)
					)
				)
		: [];
	const byTalk = new Map<number, number[]>();
	for (const talk of talks) byTalk.set(talk.id, [talk.submitterId]);
	for (const row of co) if (row.userId) byTalk.get(row.talkId)!.push(row.userId);
	return byTalk;
}

/** The organiser's view: each lightning-talk block with its talks, slots and warnings. */
export async function runningOrder(actor: Actor, eventId: number) {
	await requireEventPermission(actor, eventId, 'talks.manage');
	const call = await getCall(eventId);
	const minutes = call?.talkMinutes ?? 5;
	const [blocks, placed, unplaced] = await Promise.all([
		lightningBlocks(eventId),
		placedTalks(eventId),
		db()
			.select()
			.from(t)
			.where(and(eq(t.eventId, eventId), eq(t.status, 'accepted'), sql`${t.blockId} is null`))
			.orderBy(asc(t.submittedAt))
	]);
	const presenters = await presentersOf([...placed, ...unplaced]);
	const everyone = [...new Set([...presenters.values()].flat())];
	const holders = await ticketHolders(eventId, everyone);
	const users = everyone.length
		? await db()
				.select({ id: schema.users.id, name: schema.users.name, email: schema.users.email })
				.from(schema.users)
				.where(inArray(schema.users.id, everyone))
		: [];
	const withoutTicket = (talk: Talk) =>
		(presenters.get(talk.id) ?? [])
			.filter((id) => !holders.has(id))
			.map((id) => users.find((u) => u.id === id)!)
			.map((u) => u.name || u.email);
	const perDate = new Map<string, number>();
	return {
		talkMinutes: minutes,
		perDay: call?.perDay ?? null,
		blocks: blocks.map(({ block, date }) => {
			const talks = placed.filter((x) => x.blockId === block.id);
			const slots = slotTimes(block.startsAt, minutes, talks.length);
			return {
				block,
				date,
				talks: talks.map((talk, i) => {
					const onDay = (perDate.get(date) ?? 0) + 1;
					perDate.set(date, onDay);
					return {
						talk,
						...slots[i],
						overrun: slots[i].endsAt > block.endsAt,
						overDayLimit: call !== null && onDay > call.perDay,
						withoutTicket: withoutTicket(talk)
					};
				})
			};
		}),
		unplaced: unplaced.map((talk) => ({ talk, withoutTicket: withoutTicket(talk) }))
	};
}

async function lockedBlock(tx: Tx, eventId: number, blockId: number) {
	const [block] = await tx
		.select()
		.from(b)
		.where(and(eq(b.id, blockId), eq(b.eventId, eventId), eq(b.kind, 'lightning_talks')))
		.for('update');
	if (!block) throw invalid({ blockId: m.error_not_lightning_block() });
	return block;
}

async function acceptedTalk(tx: Tx, eventId: number, talkId: number) {
	const [talk] = await tx
		.select()
		.from(t)
		.where(and(eq(t.id, talkId), eq(t.eventId, eventId)))
		.for('update');
	if (!talk) throw notFound();
	if (talk.status !== 'accepted') throw refuseState();
	return talk;
}

/** Put an accepted talk at the end of a block, or take it out of the running order (null). */
export async function placeTalk(
	actor: Actor,
	eventId: number,
	talkId: number,
	blockId: number | null
): Promise<void> {
	const who = await requireEventPermission(actor, eventId, 'talks.manage');
	await db().transaction(async (tx) => {
		if (blockId !== null) await lockedBlock(tx, eventId, blockId);
		const talk = await acceptedTalk(tx, eventId, talkId);
		let position = 0;
		if (blockId !== null) {
			const [last] = await tx
				.select({ max: sql<number | null>`max(${t.position})` })
				.from(t)
				.where(and(eq(t.blockId, blockId), eq(t.status, 'accepted')));
			position = (last.max ?? -1) + 1;
		}
		await tx.update(t).set({ blockId, position }).where(eq(t.id, talk.id));
		await logActivity(tx, {
			eventId,
			actorId: who.id,
			action: 'talk.placed',
			data: { talkId: talk.id, blockId }
		});
		await live().publish(eventId, 'programme', {}, tx);
	});
}

/** Write a block's order; the list must be exactly the talks placed in it. */
export async function reorderBlock(
	actor: Actor,
	eventId: number,
	blockId: number,
	talkIds: number[]
): Promise<void> {
	const who = await requireEventPermission(actor, eventId, 'talks.manage');
	await db().transaction(async (tx) => {
		await lockedBlock(tx, eventId, blockId);
		const current = await tx
			.select({ id: t.id })
			.from(t)
			.where(and(eq(t.blockId, blockId), eq(t.status, 'accepted')));
		const have = current.map((x) => x.id).sort((x, y) => x - y);
		const want = [...talkIds].sort((x, y) => x - y);
		if (have.length !== want.length || have.some((id, i) => id !== want[i])) {
			throw invalid({ _form: m.error_running_order_changed() });
		}
		for (const [position, id] of talkIds.entries()) {
			await tx.update(t).set({ position }).where(eq(t.id, id));
		}
		await logActivity(tx, {
			eventId,
			actorId: who.id,
			action: 'talks.reordered',
			data: { blockId, talkIds }
		});
		await live().publish(eventId, 'programme', {}, tx);
	});
}

/** The button alternative to dragging: swap a talk with its neighbour. */
export async function moveTalk(
	actor: Actor,
	eventId: number,
	talkId: number,
	direction: 'up' | 'down'
): Promise<void> {
	await requireEventPermission(actor, eventId, 'talks.manage');
	const [talk] = await db()
		.select()
		.from(t)
		.where(and(eq(t.id, talkId), eq(t.eventId, eventId), eq(t.status, 'accepted')));
	if (!talk) throw notFound();
	if (talk.blockId === null) throw refuseState();
	const order = (await placedTalks(eventId))
		.filter((x) => x.blockId === talk.blockId)
		.map((x) => x.id);
	const at = order.indexOf(talk.id);
	const to = direction === 'up' ? at - 1 : at + 1;
	if (to < 0 || to >= order.length) return;
	[order[at], order[to]] = [order[to], order[at]];
	await reorderBlock(actor, eventId, talk.blockId, order);
}

/** Mail every placed presenter who has no ticket yet; returns how many were reminded. */
export async function remindTicketless(actor: Actor, eventId: number, origin: string) {
	const who = await requireEventPermission(actor, eventId, 'talks.manage');
	const [event] = await db().select().from(schema.events).where(eq(schema.events.id, eventId));
	if (!event) throw notFound();
	const placed = await placedTalks(eventId);
	const presenters = await presentersOf(placed);
	const everyone = [...new Set([...presenters.values()].flat())];
	const holders = await ticketHolders(eventId, everyone);
	const missing = everyone.filter((id) => !holders.has(id));
	if (!missing.length) return 0;
	const users = await db()
		.select({ id: schema.users.id, email: schema.users.email, name: schema.users.name })
		.from(schema.users)
		.where(inArray(schema.users.id, missing));
	for (const user of users) {
		const titles = placed
			.filter((x) => presenters.get(x.id)!.includes(user.id))
			.map((x) => x.title);
		await sendMail(
			await mailTo(user.email, () => ({
				subject: m.mail_ticket_reminder_subject({ event: event.name }),
				text: m.mail_ticket_reminder_text({
					name: user.name,
					event: event.name,
					titles: titles.join(', '),
					url: `${origin}/e/${event.slug}/tickets`
				})
			}))
		);
	}
	await db()
		.update(t)
		.set({ ticketReminderAt: new Date() })
		.where(
			inArray(
				t.id,
				placed.map((x) => x.id)
			)
		);
	await logActivity(db(), {
		eventId,
		actorId: who.id,
		action: 'talks.ticket_reminders_sent',
		data: { count: users.length }
	});
	return users.length;
}

export interface ProgrammeTalk extends Slot {
	id: number;
	title: string;
	summary: string;
	presenters: string;
	links: string[];
}

/** The public programme: only accepted, placed talks and what presenters chose to publish. */
export async function publicProgramme(eventId: number) {
	const call = await getCall(eventId);
	const minutes = call?.talkMinutes ?? 5;
	const [blocks, placed] = await Promise.all([lightningBlocks(eventId), placedTalks(eventId)]);
	return blocks
		.map(({ block, date }) => {
			const talks = placed.filter((x) => x.blockId === block.id);
			const slots = slotTimes(block.startsAt, minutes, talks.length);
			return {
				date,
				block: { id: block.id, title: block.title, startsAt: block.startsAt, endsAt: block.endsAt },
				talks: talks.map((talk, i): ProgrammeTalk => ({
					id: talk.id,
					title: talk.title,
					summary: talk.summary,
					presenters: talk.presenters,
					links: talk.links
						.split(/\r?\n/)
						.map((l) => l.trim())
						.filter(Boolean),
					...slots[i]
				}))
			};
		})
		.filter((x) => x.talks.length > 0);
}
export type Programme = Awaited<ReturnType<typeof publicProgramme>>;

/** The slot of one talk, for its presenters (null until it is placed). */
export async function slotOf(eventId: number, talkId: number): Promise<ProgrammeTalk | null> {
	const programme = await publicProgramme(eventId);
	return programme.flatMap((x) => x.talks).find((x) => x.id === talkId) ?? null;
}
