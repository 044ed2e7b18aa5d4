// The page side of form actions: pick the part of `form` that belongs to one form on the page.

export interface FormState {
	form?: string;
	errors?: Record<string, string>;
	values?: Record<string, string>;
	saved?: boolean;
	sent?: string;
}

/** The action result if it came from the form called `name` (or any form, without a name). */
export function formState(form: unknown, name?: string): FormState {
	const state = (form ?? {}) as FormState;
	if (name !== undefined && state.form !== name) return {};
	return state;
}
