// A form's answer must be seen where it appears: on a phone the message can sit far above the
// button that was pressed (or the form it belonged to may be gone). When the message changes and
// is off screen, scroll it into view; when focus was lost with the form, or the message had to be
// scrolled to, move focus to it so screen readers read it too. A message already in view, next to
// a control that still has focus, is left to its live region.

function show(node: HTMLElement, message: unknown) {
	if (!message) return;
	requestAnimationFrame(() => {
		if (!node.isConnected) return;
		const box = node.getBoundingClientRect();
		const inView = box.top >= 0 && box.bottom <= window.innerHeight;
		const active = document.activeElement;
		const lost = !active || active === document.body || !active.isConnected;
		if (!inView) {
			const still = window.matchMedia('(prefers-reduced-motion: reduce)').matches;
			node.scrollIntoView({ block: 'center', behavior: still ? 'auto' : 'smooth' });
		}
		if (!inView || lost) {
			if (!node.hasAttribute('tabindex')) node.setAttribute('tabindex', '-1');
			node.focus({ preventScroll: true });
		}
	});
}

/** `use:reveal={message}` on the element that shows a form's answer. */
export function reveal(node: HTMLElement, message: unknown) {
	let last = message;
	show(node, message);
	return {
		update(next: unknown) {
			if (next !== last) show(node, next);
			last = next;
		}
	};
}

/**
 * `use:revealError={error}` on a field's error: when a sent form comes back with errors, the
 * first field in error takes focus (and scrolls into view), unless someone is typing elsewhere.
 */
export function revealError(node: HTMLElement, error: unknown) {
	const check = (next: unknown) => {
		if (!next) return;
		requestAnimationFrame(() => {
			const form = node.closest('form');
			const first = form?.querySelector<HTMLElement>('[aria-invalid="true"]');
			if (!first || !first.getAttribute('aria-describedby')?.includes(node.id)) return;
			const active = document.activeElement;
			const typing =
				active instanceof HTMLElement &&
				active !== first &&
				active.matches('input, textarea, select');
			if (typing && form!.contains(active)) return;
			first.focus({ preventScroll: true });
			first.scrollIntoView({ block: 'center' });
		});
	};
	let last = error;
	check(error);
	return {
		update(next: unknown) {
			if (next !== last) check(next);
			last = next;
		}
	};
}
