import { redirect } from '@sveltejs/kit';
import { failWith, signInUrl } from '$lib/server/core/http';
import { confirmPresenter, describePresenterInvite } from '$lib/server/talks/presenters';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ params }) => {
	const invite = await describePresenterInvite(params.token);
	// A link for another event's talk is as good as no link here.
	return { invite: invite && invite.eventSlug === params.event ? invite : null };
};

export const actions: Actions = {
	default: async ({ params, locals, url }) => {
		if (!locals.user) redirect(303, signInUrl(url));
		let done: { eventSlug: string; talkId: number };
		try {
			const invite = await describePresenterInvite(params.token);
			if (invite && invite.eventSlug !== params.event) return { form: 'confirm', invalid: true };
			done = await confirmPresenter(locals.user, params.token);
		} catch (e) {
			return failWith(e, {}, { url, form: 'confirm' });
		}
		redirect(303, `/e/${done.eventSlug}/talks/mine?confirmed=${done.talkId}`);
	}
};
