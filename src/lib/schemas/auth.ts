import * as v from 'valibot';
import { m } from '$lib/paraglide/messages';
import { email, password, plainText } from './fields';
import { EVENT_CREATION } from '$lib/constants';

export const signUpSchema = v.object({
	name: plainText(100),
	email,
	password
});

export const signInSchema = v.object({
	email,
	password: v.pipe(
		v.string(() => m.error_required()),
		v.nonEmpty(() => m.error_required())
	)
});

export const emailOnlySchema = v.object({ email });

export const newPasswordSchema = v.object({ password });

export const setupSchema = v.object({
	name: plainText(100),
	email,
	password,
	demo: v.optional(v.string()),
	samples: v.optional(v.string()),
	eventCreation: v.optional(
		v.picklist(EVENT_CREATION, () => m.error_required()),
		'anyone'
	)
});
