import * as v from 'valibot';
import { id } from '$lib/schemas/fields';
import { parseForm } from '$lib/schemas/form';
import { publishedAgenda } from '$lib/server/agenda/agenda';
import {
	attend,
	checkInto,
	leave,
	leaveSession,
	myMarks,
	presenceCounts
} from '$lib/server/agenda/attendance';
import { participation, type Actor } from '$lib/server/auth/guards';
import { eventForPublic } from '$lib/server/events/events';
import { failWith, invalidForm, orHttpError, signInUrl } from '$lib/server/core/http';
import { instantToZoned } from '$lib/time';
import type { Actions, PageServerLoad, RequestEvent } from './$types';

const sessionRef = v.object({ sessionId: id });

export const load: PageServerLoad = async ({ locals, params, url }) => {
	const event = await orHttpError(url, () => eventForPublic(locals.user, params.event));
	const [sessions, marks, here, holder] = await Promise.all([
		publishedAgenda(event.id),
		myMarks(locals.user, event.id),
		presenceCounts(event.id),
		participation(locals.user, event.id)
	]);
	// Day → block → sessions, in the order publishedAgenda gives (block start, then room).
	const days: {
		date: string;
		blocks: { block: (typeof sessions)[number]['block']; sessions: typeof cards }[];
	}[] = [];
	const cards = sessions.map((x) => ({
		id: x.id,
		proposalId: x.proposalId,
		title: x.title,
		question: x.question,
		room: x.room,
		conveners: x.conveners.map((c) => c.name),
		expected: x.expected,
		going: x.going,
		here: here.get(x.id) ?? 0,
		mineGoing: marks.going.has(x.id),
		mineHere: marks.here.has(x.id)
	}));
	for (const [i, x] of sessions.entries()) {
		const date = instantToZoned(x.block.startsAt, event.timeZone).date;
		let day = days.at(-1);
		if (day?.date !== date) days.push((day = { date, blocks: [] }));
		let block = day.blocks.at(-1);
		if (block?.block.id !== x.block.id) day.blocks.push((block = { block: x.block, sessions: [] }));
		block.sessions.push(cards[i]);
	}
	return {
		event,
		days,
		canMark: !!holder,
		signIn: locals.user ? null : signInUrl(url),
		now: new Date()
	};
};

type Mark = (actor: Actor, eventId: number, sessionId: number) => Promise<unknown>;

const mark =
	(change: Mark) =>
	async ({ request, locals, params, url }: RequestEvent) => {
		const event = await orHttpError(url, () => eventForPublic(locals.user, params.event));
		const parsed = parseForm(sessionRef, await request.formData());
		if (!parsed.success) return invalidForm(parsed.errors, parsed.values, 'session');
		const form = `session-${parsed.data.sessionId}`;
		try {
			await change(locals.user, event.id, parsed.data.sessionId);
		} catch (e) {
			return failWith(e, parsed.values, { url, form });
		}
		return { form, saved: true };
	};

export const actions: Actions = {
	attend: mark(attend),
	leave: mark(leave),
	here: mark((actor, eventId, sessionId) => checkInto(actor, eventId, sessionId)),
	away: mark(leaveSession)
};
