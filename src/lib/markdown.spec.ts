import { describe, expect, it } from 'vitest';
import { hasUnsafeMarkup, renderMarkdown } from '$lib/markdown';

describe('markdown', () => {
	it('renders emphasis, lists and web links, with safe rel on links', () => {
		const html = renderMarkdown('**Hi**\n\n- [site](https://example.org)');
		expect(html).toContain('<strong>Hi</strong>');
		expect(html).toContain(
			'<a href="https://example.org" rel="nofollow noopener noreferrer">site</a>'
		);
	});

	it.each([
		'<script>alert(1)</script>',
		'<img src=x onerror=alert(1)>',
		'<a href="#" onclick="steal()">x</a>',
		'[x](javascript:alert(1))',
		'<iframe src="https://evil.example"></iframe>',
		'<style>body{display:none}</style>'
	])('strips %j when rendering and flags it as unsafe', (source) => {
		const html = renderMarkdown(source);
		expect(html).not.toMatch(/<script|onerror|onclick|javascript:|<iframe|<style/i);
		expect(hasUnsafeMarkup(source)).toBe(true);
	});

	it.each([
		'Plain text',
		'Use `<div>` in code',
		'5 < 6 and 7 > 3',
		'# A heading',
		'<https://example.org>'
	])('does not flag ordinary text %j', (source) => expect(hasUnsafeMarkup(source)).toBe(false));
});
