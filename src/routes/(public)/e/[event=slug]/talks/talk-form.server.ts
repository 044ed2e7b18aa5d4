import { redirect, type RequestEvent } from '@sveltejs/kit';
import { parseForm } from '$lib/schemas/form';
import { answersFrom, draftSchema, talkSchema } from '$lib/schemas/talks';
import { participation, type Actor } from '$lib/server/auth/guards';
import { eventForPublic, type Event } from '$lib/server/events/events';
import { failWith, invalidForm, orHttpError } from '$lib/server/core/http';
import { listSchedule } from '$lib/server/events/schedule';
import { callState, getCall, saveDraft, submitTalk, type Talk } from '$lib/server/talks/talks';

// What the new-talk and edit-talk pages share: the call, the days to choose from, the actions.

type Params = { event: string; id?: string };

export async function talkFormContext(event: Event, actor: NonNullable<Actor>) {
	const [call, days] = await Promise.all([getCall(event.id), listSchedule(event.id)]);
	const needsTicket = call?.ticketRule === 'submit' && !(await participation(actor, event.id));
	return {
		callState: callState(call),
		call: call && {
			opensAt: call.opensAt,
			closesAt: call.closesAt,
			summaryMax: call.summaryMax,
			talkMinutes: call.talkMinutes,
			questions: call.questions,
			ticketRule: call.ticketRule
		},
		days: days.map((d) => ({ id: d.id, date: d.date, title: d.title })),
		needsTicket
	};
}

/** A saved talk as the form's values. */
export function talkValues(talk: Talk): Record<string, string> {
	const values: Record<string, string> = {
		title: talk.title,
		summary: talk.summary,
		presenters: talk.presenters,
		links: talk.links,
		preferredDayId: talk.preferredDayId === null ? '' : String(talk.preferredDayId),
		accessNeeds: talk.accessNeeds
	};
	talk.answers.forEach((answer, i) => (values[`answer${i}`] = answer));
	return values;
}

/** The edit page's id comes from the URL; a new draft's from the hidden field set on first save. */
function talkIdOf(params: Params, data: FormData): number | null {
	const raw = params.id ?? data.get('talkId');
	return typeof raw === 'string' && /^\d{1,9}$/.test(raw) ? Number(raw) : null;
}

async function prepare({ request, locals, params, url }: RequestEvent<Params>) {
	const event = await orHttpError(url, () => eventForPublic(locals.user, params.event));
	const data = await request.formData();
	const call = await getCall(event.id);
	return {
		event,
		data,
		talkId: talkIdOf(params, data),
		answers: answersFrom(data, call?.questions.length ?? 0)
	};
}

export const talkActions = {
	save: async (request: RequestEvent<Params>) => {
		const { event, data, talkId, answers } = await prepare(request);
		const parsed = parseForm(draftSchema, data);
		if (!parsed.success) return invalidForm(parsed.errors, parsed.values, 'talk');
		let talk: Talk;
		try {
			talk = await saveDraft(request.locals.user, event.id, talkId, parsed.data, answers);
		} catch (e) {
			return failWith(e, parsed.values, { url: request.url, form: 'talk' });
		}
		const values = { ...parsed.values, talkId: String(talk.id) };
		return { form: 'talk', talkId: talk.id, savedAt: talk.updatedAt.toISOString(), values };
	},
	submit: async (request: RequestEvent<Params>) => {
		const { event, data, talkId, answers } = await prepare(request);
		const parsed = parseForm(talkSchema, data);
		if (!parsed.success) return invalidForm(parsed.errors, parsed.values, 'talk');
		let talk: Talk;
		try {
			talk = await submitTalk(request.locals.user, event.id, talkId, parsed.data, answers);
		} catch (e) {
			return failWith(e, parsed.values, { url: request.url, form: 'talk' });
		}
		redirect(303, `/e/${event.slug}/talks/mine?sent=${talk.id}`);
	}
};
