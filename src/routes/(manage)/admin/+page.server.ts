import { describeSignIn, setProviderOnly } from '$lib/server/auth/sign-in-options';
import { runsEmbedded } from '$lib/server/core/backup';
import { failWith, orHttpError } from '$lib/server/core/http';
import { EVENT_CREATION, type EventCreation } from '$lib/constants';
import {
	eventCreationRule,
	listEventCreators,
	nameEventCreator,
	setEventCreation,
	unnameEventCreator
} from '$lib/server/people/event-creators';
import { invalid } from '$lib/server/core/errors';
import { m } from '$lib/paraglide/messages';
import type { Actions, PageServerLoad } from './$types';

const invalidRule = () => invalid({ rule: m.error_required() });

export const load: PageServerLoad = async ({ locals, url }) => {
	const signIn = await orHttpError(url, () => describeSignIn(locals.user));
	return {
		signIn,
		embedded: runsEmbedded(),
		creation: await eventCreationRule(),
		creators: await listEventCreators(locals.user)
	};
};

export const actions: Actions = {
	signIn: async ({ request, locals, url }) => {
		const providerOnly = (await request.formData()).get('providerOnly') === 'on';
		const values = { providerOnly: providerOnly ? 'on' : '' };
		try {
			await setProviderOnly(locals.user, providerOnly);
		} catch (e) {
			return failWith(e, values, { url, form: 'signIn' });
		}
		return { form: 'signIn', saved: true, values };
	},
	creation: async ({ request, locals, url }) => {
		const rule = String((await request.formData()).get('rule') ?? '');
		const values = { rule };
		try {
			if (!(EVENT_CREATION as readonly string[]).includes(rule)) throw invalidRule();
			await setEventCreation(locals.user, rule as EventCreation);
		} catch (e) {
			return failWith(e, values, { url, form: 'creation' });
		}
		return { form: 'creation', saved: true, values };
	},
	nameCreator: async ({ request, locals, url }) => {
		const email = String((await request.formData()).get('email') ?? '');
		try {
			await nameEventCreator(locals.user, email);
		} catch (e) {
			return failWith(e, { email }, { url, form: 'nameCreator' });
		}
		return { form: 'nameCreator', saved: true, values: { email: '' } };
	},
	unnameCreator: async ({ request, locals, url }) => {
		const id = Number((await request.formData()).get('userId'));
		try {
			await unnameEventCreator(locals.user, id);
		} catch (e) {
			return failWith(e, {}, { url, form: 'nameCreator' });
		}
		return { form: 'nameCreator', saved: true, values: { email: '' } };
	}
};
