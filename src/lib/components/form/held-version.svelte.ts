import type { SubmitFunction } from '@sveltejs/kit';

/**
 * The version an edit is based on, for a form whose text others may change meanwhile: the one
 * shown when typing started (live reloads then no longer move it), or, after a refusal, the
 * current one shown beside the form. A successful save lets it follow the page again.
 */
export function heldVersion(shown: () => number, refused: () => number | undefined) {
	let startedOn = $state<number | null>(null);
	const base = $derived(refused() ?? startedOn ?? shown());
	return {
		get base() {
			return base;
		},
		/** For the form's `oninput`. */
		typed: () => {
			startedOn ??= shown();
		},
		/** For the form's `use:enhance`: keeps what was typed on a refusal. */
		enhance: (() =>
			async ({ result, update }) => {
				if (result.type === 'success') startedOn = null;
				await update({ reset: false });
			}) satisfies SubmitFunction
	};
}
