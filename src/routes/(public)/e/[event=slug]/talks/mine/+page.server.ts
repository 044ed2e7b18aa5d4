import { redirect } from '@sveltejs/kit';
import * as v from 'valibot';
import { id } from '$lib/schemas/fields';
import { parseForm } from '$lib/schemas/form';
import { presenterSchema } from '$lib/schemas/talks';
import { eventForPublic } from '$lib/server/events/events';
import { failWith, invalidForm, orHttpError, signInUrl } from '$lib/server/core/http';
import { slotOf } from '$lib/server/talks/running-order';
import { invitePresenter, removePresenter } from '$lib/server/talks/presenters';
import { myTalks, talkForPresenter, withdrawTalk } from '$lib/server/talks/talks';
import type { Actions, PageServerLoad } from './$types';

const talkRef = v.object({ talkId: id });
const presenterRef = v.object({ talkId: id, presenterId: id });

export const load: PageServerLoad = async ({ locals, params, url }) => {
	const event = await orHttpError(url, () => eventForPublic(locals.user, params.event));
	if (!locals.user) redirect(303, signInUrl(url));
	const user = locals.user;
	const talks = await myTalks(user, event.id);
	return {
		event,
		talks: await Promise.all(
			talks.map(async (talk) => {
				const { presenters, editable } = await talkForPresenter(user, event.id, talk.id);
				const slot = talk.status === 'accepted' ? await slotOf(event.id, talk.id) : null;
				return {
					id: talk.id,
					title: talk.title,
					status: talk.status,
					notifiedStatus: talk.notifiedStatus,
					submittedAt: talk.submittedAt,
					editable,
					presenters: presenters.map((p) => ({ ...p, confirmed: Boolean(p.confirmed) })),
					slot: slot && { startsAt: slot.startsAt, endsAt: slot.endsAt }
				};
			})
		),
		sent: Number(url.searchParams.get('sent')) || null,
		confirmed: Number(url.searchParams.get('confirmed')) || null
	};
};

export const actions: Actions = {
	withdraw: async ({ request, locals, params, url }) => {
		const event = await orHttpError(url, () => eventForPublic(locals.user, params.event));
		const parsed = parseForm(talkRef, await request.formData());
		if (!parsed.success) return invalidForm(parsed.errors, parsed.values, 'withdraw');
		const form = `withdraw-${parsed.data.talkId}`;
		try {
			await withdrawTalk(locals.user, event.id, parsed.data.talkId);
		} catch (e) {
			return failWith(e, parsed.values, { url, form });
		}
		return { form, saved: true };
	},
	invite: async ({ request, locals, params, url }) => {
		const event = await orHttpError(url, () => eventForPublic(locals.user, params.event));
		const data = await request.formData();
		const ref = parseForm(talkRef, data);
		if (!ref.success) return invalidForm(ref.errors, ref.values, 'invite');
		const form = `invite-${ref.data.talkId}`;
		const parsed = parseForm(presenterSchema, data);
		if (!parsed.success) return invalidForm(parsed.errors, parsed.values, form);
		try {
			await invitePresenter(locals.user, event.id, ref.data.talkId, parsed.data.email, url.origin);
		} catch (e) {
			return failWith(e, parsed.values, { url, form });
		}
		return { form, sent: parsed.data.email };
	},
	remove: async ({ request, locals, params, url }) => {
		const event = await orHttpError(url, () => eventForPublic(locals.user, params.event));
		const parsed = parseForm(presenterRef, await request.formData());
		if (!parsed.success) return invalidForm(parsed.errors, parsed.values, 'remove');
		const { talkId, presenterId } = parsed.data;
		const form = `invite-${talkId}`;
		try {
			await removePresenter(locals.user, event.id, talkId, presenterId);
		} catch (e) {
			return failWith(e, parsed.values, { url, form });
		}
		return { form, saved: true };
	}
};
