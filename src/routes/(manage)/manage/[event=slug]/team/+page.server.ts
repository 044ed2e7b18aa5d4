import { parseForm } from '$lib/schemas/form';
import { idSchema } from '$lib/schemas/events';
import { claimSchema, inviteSchema, memberSchema } from '$lib/schemas/team';
import { eventForManage } from '$lib/server/events/events';
import { failWith, invalidForm, orHttpError } from '$lib/server/core/http';
import { inviteToTeam, listTeam, removeFromTeam, revokeInvite } from '$lib/server/people/team';
import { listPlaceholders, sendClaim } from '$lib/server/transfer/claims';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals, params, url }) => {
	const event = await orHttpError(url, () =>
		eventForManage(locals.user, params.event, 'team.view')
	);
	return {
		team: await orHttpError(url, () => listTeam(locals.user, event.id)),
		placeholders: await orHttpError(url, () => listPlaceholders(locals.user, event.id))
	};
};

export const actions: Actions = {
	invite: async ({ request, locals, params, url }) => {
		const event = await orHttpError(url, () => eventForManage(locals.user, params.event));
		const parsed = parseForm(inviteSchema, await request.formData());
		if (!parsed.success) return invalidForm(parsed.errors, parsed.values, 'invite');
		try {
			await inviteToTeam(locals.user, event.id, parsed.data, url.origin);
		} catch (e) {
			return failWith(e, parsed.values, { url, form: 'invite' });
		}
		return { form: 'invite', sent: parsed.data.email };
	},
	claim: async ({ request, locals, params, url }) => {
		const event = await orHttpError(url, () => eventForManage(locals.user, params.event));
		const parsed = parseForm(claimSchema, await request.formData());
		const form = `claim-${parsed.values.placeholderId ?? ''}`;
		if (!parsed.success) return invalidForm(parsed.errors, parsed.values, form);
		try {
			await sendClaim(locals.user, event.id, parsed.data, url.origin);
		} catch (e) {
			return failWith(e, parsed.values, { url, form });
		}
		return { form, sent: parsed.data.email };
	},
	remove: async ({ request, locals, params, url }) => {
		const event = await orHttpError(url, () => eventForManage(locals.user, params.event));
		const parsed = parseForm(memberSchema, await request.formData());
		if (!parsed.success) return invalidForm(parsed.errors, parsed.values, 'members');
		try {
			await removeFromTeam(locals.user, event.id, parsed.data.userId, parsed.data.role);
		} catch (e) {
			return failWith(e, parsed.values, { url, form: 'members' });
		}
		return { form: 'members', saved: true };
	},
	revoke: async ({ request, locals, params, url }) => {
		const event = await orHttpError(url, () => eventForManage(locals.user, params.event));
		const parsed = parseForm(idSchema, await request.formData());
		if (!parsed.success) return invalidForm(parsed.errors, parsed.values, 'pending');
		try {
			await revokeInvite(locals.user, event.id, parsed.data.id);
		} catch (e) {
			return failWith(e, parsed.values, { url, form: 'pending' });
		}
		return { form: 'pending', saved: true };
	}
};
