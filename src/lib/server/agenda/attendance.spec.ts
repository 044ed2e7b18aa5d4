import { and, eq, sql } from 'drizzle-orm';
import ICAL from 'ical.js';
import { describe, expect, it } from 'vitest';
import type { LiveTopics } from '$lib/live/topics';
import { agendaRound, ticketHolder } from '../../../../tests/fixtures/agenda';
import { onPostgres, useTestDb } from '../../../../tests/fixtures/db';
import { domainError } from '../../../../tests/fixtures/domain-error';
import { actorOf, makeUser } from '../../../../tests/fixtures/factories';
import { generateAgenda, publishAgenda, publishedAgenda } from './agenda';
import {
	agendaWithMarks,
	attend,
	checkInto,
	headcounts,
	leave,
	leaveSession,
	myAgenda,
	myAgendaIcs,
	myMarks,
	presenceCounts
} from './attendance';
import { db, schema } from '../db';
import { isDomainError } from '../core/errors';

useTestDb({ poolSize: 20 });

/** Two blocks of two rooms, four sessions, published. */
async function publishedRound(opts: { publish?: boolean } = {}) {
	const made = await agendaRound({ rooms: [20, 30], blocks: 2, dots: [4, 3, 2, 1] });
	await generateAgenda(made.organiser, made.event.id, made.round.id);
	if (opts.publish !== false) {
		await publishAgenda(made.organiser, made.event.id, made.round.id);
	}
	const sessions = await db()
		.select()
		.from(schema.agendaSessions)
		.where(eq(schema.agendaSessions.roundId, made.round.id));
	const inBlock = (i: number) => sessions.filter((s) => s.blockId === made.blocks[i].id);
	return { ...made, sessions, inBlock };
}

const marksOf = (userId: number) =>
	db().select().from(schema.sessionAttendance).where(eq(schema.sessionAttendance.userId, userId));

describe('"I\'ll be there"', () => {
	it('is allowed when it clashes with a session the person convenes, and both sessions say so', async () => {
		const { event, attendees, proposals, inBlock } = await publishedRound();
		const [own, other] = inBlock(0);
		// Whoever convenes the first session of block 0 marks the other session of that block.
		const convener = attendees[proposals.findIndex((p) => p.id === own.proposalId)];
		await attend(convener, event.id, other.id);
		const mine = await myAgenda(convener, event.id);
		const byId = new Map(mine.map((x) => [x.id, x]));
		expect(byId.get(other.id)?.clashes).toEqual([
			{ sessionId: own.id, title: expect.any(String), kind: 'convening' }
		]);
		expect(byId.get(own.id)?.clashes).toEqual([
			{ sessionId: other.id, title: expect.any(String), kind: 'attending' }
		]);
		// The agenda page says the same on the person's cards, and nothing on the others.
		const page = await agendaWithMarks(convener, event.id);
		expect(
			page
				.filter((x) => x.clashes.length)
				.map((x) => x.id)
				.sort()
		).toEqual([own.id, other.id].sort());
		// Someone with no sessions of their own at that time sees no clash.
		const other2 = attendees.find((a) => a !== convener)!;
		expect((await agendaWithMarks(other2, event.id)).every((x) => !x.clashes.length)).toBe(true);
	});

	it('for ticket holders, on published agendas only; another session of the block moves the mark', async () => {
		const draft = await publishedRound({ publish: false });
		const me = draft.attendees[0];
		expect((await domainError(() => attend(me, draft.event.id, draft.sessions[0].id))).kind).toBe(
			'not_found'
		);

		const { event, attendees, inBlock } = await publishedRound();
		const [first, second] = inBlock(0);
		const [later] = inBlock(1);
		const ana = attendees[0];
		const stranger = actorOf(await makeUser());
		expect((await domainError(() => attend(stranger, event.id, first.id))).fields._form).toMatch(
			/ticket/
		);
		expect((await domainError(() => attend(null, event.id, first.id))).kind).toBe(
			'unauthenticated'
		);
		// A session of another event is not found through this one.
		expect((await domainError(() => attend(ana, event.id, draft.sessions[0].id))).kind).toBe(
			'not_found'
		);

		await attend(ana, event.id, first.id);
		await attend(ana, event.id, later.id);
		await attend(ana, event.id, second.id);
		const marks = (await marksOf(ana.id)).map((m) => m.sessionId).sort((a, b) => a - b);
		expect(marks).toEqual([second.id, later.id].sort((a, b) => a - b));

		// "I'll be there" raises the expected number once it passes what the votes promised.
		const expectedBefore = (await publishedAgenda(event.id)).find((s) => s.id === second.id)!;
		for (const a of attendees) await attend(a, event.id, second.id);
		const after = (await publishedAgenda(event.id)).find((s) => s.id === second.id)!;
		expect(after.going).toBe(attendees.length);
		expect(after.expected).toBe(Math.max(expectedBefore.expected, attendees.length));

		await leave(ana, event.id, later.id);
		expect((await marksOf(ana.id)).map((m) => m.sessionId)).toEqual([second.id]);
	});

	it('my agenda and its calendar file: my sessions with their times, rooms and conveners', async () => {
		const { event, attendees, inBlock, blocks } = await publishedRound();
		const [first] = inBlock(0);
		const [later] = inBlock(1);
		const ben = attendees[1];
		await attend(ben, event.id, first.id);
		await attend(ben, event.id, later.id);
		const mine = await myAgenda(ben, event.id);
		// Ben also convenes proposal 1, wherever it was placed.
		const convened = mine.filter((s) => s.convening);
		expect(convened).toHaveLength(1);
		expect(new Set(mine.map((s) => s.id))).toEqual(new Set([first.id, later.id, convened[0].id]));
		expect(mine.map((s) => s.block.startsAt.getTime())).toEqual(
			[...mine.map((s) => s.block.startsAt.getTime())].sort((a, b) => a - b)
		);

		const ics = await myAgendaIcs(ben, event.id, 'https://cs.example');
		const calendar = new ICAL.Component(ICAL.parse(ics));
		const entries = calendar.getAllSubcomponents('vevent').map((v) => new ICAL.Event(v));
		expect(entries).toHaveLength(mine.length);
		const entry = entries.find((e) => e.uid === `session-${first.id}@commonspace`)!;
		const firstInfo = mine.find((s) => s.id === first.id)!;
		expect(entry.summary).toBe(firstInfo.title);
		expect(entry.startDate.toJSDate().getTime()).toBe(blocks[0].startsAt.getTime());
		expect(entry.endDate.toJSDate().getTime()).toBe(blocks[0].endsAt.getTime());
		expect(entry.startDate.zone.tzid).toBe('UTC');
		expect(entry.location).toContain(firstInfo.room.name);
		expect(entry.description).toContain(event.timeZone);
		expect(entry.description).toContain(firstInfo.conveners[0].name);

		const nobody = await ticketHolder(
			event.id,
			(
				await db().select().from(schema.ticketTypes).where(eq(schema.ticketTypes.eventId, event.id))
			)[0].id
		);
		const empty = new ICAL.Component(ICAL.parse(await myAgendaIcs(nobody, event.id)));
		expect(empty.getAllSubcomponents('vevent')).toHaveLength(0);
		expect((await domainError(() => myAgenda(null, event.id))).kind).toBe('unauthenticated');
		expect(mine.find((s) => s.id === first.id)?.attending).toBe(true);
		const marks = await myMarks(ben, event.id);
		expect(marks.going).toEqual(new Set([first.id, later.id]));
		const agenda = await agendaWithMarks(ben, event.id);
		expect(new Set(agenda.filter((x) => x.mineGoing).map((x) => x.id))).toEqual(marks.going);
		expect(agenda.some((x) => x.mineHere)).toBe(false);
	});
});

describe.runIf(onPostgres())('"I\'ll be there" from two phones at once', () => {
	it('marking both sessions of a block many times at once leaves one mark in the block', async () => {
		const { event, attendees, inBlock } = await publishedRound();
		const [first, second] = inBlock(0);
		const [me, other] = attendees;
		const results = await Promise.allSettled([
			...Array.from({ length: 30 }, (_, i) => attend(me, event.id, (i % 2 ? first : second).id)),
			...Array.from({ length: 10 }, () => attend(other, event.id, first.id))
		]);
		for (const r of results) {
			if (r.status === 'rejected' && !isDomainError(r.reason)) throw r.reason;
		}
		expect(results.every((r) => r.status === 'fulfilled')).toBe(true);
		const mine = (await marksOf(me.id)).filter((m) => [first.id, second.id].includes(m.sessionId));
		expect(mine).toHaveLength(1);
		expect(await marksOf(other.id)).toHaveLength(1);
	});
});

async function presenceOf(blockId: number) {
	return db()
		.select()
		.from(schema.sessionPresence)
		.where(eq(schema.sessionPresence.blockId, blockId));
}

async function lastPresence(eventId: number) {
	const rows = await db()
		.select({ id: schema.liveEvents.id, data: schema.liveEvents.data })
		.from(schema.liveEvents)
		.where(and(eq(schema.liveEvents.eventId, eventId), eq(schema.liveEvents.topic, 'presence')))
		.orderBy(schema.liveEvents.id);
	const last = new Map<number, number>();
	for (const r of rows) {
		const { sessionId, count } = r.data as LiveTopics['presence'];
		last.set(sessionId, count);
	}
	return last;
}

describe('"I\'m here"', () => {
	it('one session per person per block: checking into another moves them, and counts follow', async () => {
		const { event, attendees, inBlock, blocks, sessions } = await publishedRound();
		const [first, second] = inBlock(0);
		const [ana, ben] = attendees;
		await checkInto(ana, event.id, first.id);
		await checkInto(ben, event.id, first.id);
		await checkInto(ana, event.id, second.id);
		const counts = await headcounts(event.id, blocks[0].id);
		expect(counts.find((c) => c.sessionId === first.id)?.count).toBe(1);
		expect(counts.find((c) => c.sessionId === second.id)?.count).toBe(1);
		expect(counts.every((c) => c.capacity > 0 && c.roomName)).toBe(true);
		expect(await presenceOf(blocks[0].id)).toHaveLength(2);
		expect(await presenceCounts(event.id)).toEqual(
			new Map([
				[first.id, 1],
				[second.id, 1]
			])
		);
		expect((await myMarks(ana, event.id)).here).toEqual(new Set([second.id]));
		const last = await lastPresence(event.id);
		expect(last.get(first.id)).toBe(1);
		expect(last.get(second.id)).toBe(1);

		await leaveSession(ben, event.id, first.id);
		expect(
			(await headcounts(event.id, blocks[0].id)).find((c) => c.sessionId === first.id)?.count
		).toBe(0);
		expect((await lastPresence(event.id)).get(first.id)).toBe(0);

		const stranger = actorOf(await makeUser());
		expect((await domainError(() => checkInto(stranger, event.id, first.id))).fields._form).toMatch(
			/ticket/
		);
		const other = await publishedRound({ publish: false });
		expect((await domainError(() => checkInto(ana, event.id, other.sessions[0].id))).kind).toBe(
			'not_found'
		);
		expect(sessions).toHaveLength(4);
	});

	it.runIf(onPostgres())(
		'many people checking in at once, one of them switching rooms from two phones: counts stay exact',
		async () => {
			const { event, attendees, type, inBlock, blocks } = await publishedRound();
			const people = [...attendees];
			while (people.length < 40) people.push(await ticketHolder(event.id, type.id));
			const [first, second] = inBlock(0);
			const [restless] = people;
			const runs = [
				...people.slice(1).map((p, i) => checkInto(p, event.id, (i % 2 ? first : second).id)),
				// Two phones of one person, switching back and forth as fast as they can.
				...Array.from({ length: 30 }, (_, i) =>
					checkInto(restless, event.id, (i % 2 ? first : second).id)
				),
				// And some people change their minds while everyone checks in.
				...people.slice(1, 11).map((p) => checkInto(p, event.id, first.id))
			];
			const results = await Promise.allSettled(runs);
			for (const r of results) {
				if (r.status === 'rejected' && !isDomainError(r.reason)) throw r.reason;
			}
			expect(results.every((r) => r.status === 'fulfilled')).toBe(true);

			const rows = await presenceOf(blocks[0].id);
			expect(rows).toHaveLength(people.length);
			expect(new Set(rows.map((r) => r.userId)).size).toBe(people.length);
			const counts = await headcounts(event.id, blocks[0].id);
			const total = counts.reduce((sum, c) => sum + c.count, 0);
			expect(total).toBe(people.length);
			// The last count each screen was told is the real one.
			const last = await lastPresence(event.id);
			for (const c of counts) expect(last.get(c.sessionId) ?? 0).toBe(c.count);
			const [{ n }] = await db()
				.select({ n: sql<number>`count(*)::int` })
				.from(schema.sessionPresence)
				.where(eq(schema.sessionPresence.userId, restless.id));
			expect(n).toBe(1);
		}
	);
});
