import { marked } from 'marked';
import sanitizeHtml from 'sanitize-html';

const ALLOWED: sanitizeHtml.IOptions = {
	allowedTags: [
		'p',
		'br',
		'strong',
		'em',
		'del',
		'code',
		'pre',
		'blockquote',
		'ul',
		'ol',
		'li',
		'a',
		'h2',
		'h3',
		'h4',
		'hr'
	],
	allowedAttributes: { a: ['href', 'title', 'rel'] },
	allowedSchemes: ['http', 'https', 'mailto'],
	allowProtocolRelative: false,
	transformTags: {
		a: sanitizeHtml.simpleTransform('a', { rel: 'nofollow noopener noreferrer' }),
		// A heading in user text never outranks the page's own.
		h1: 'h2'
	}
};

function toHtml(source: string): string {
	return marked.parse(source, { async: false, gfm: true, breaks: false }) as string;
}

/** User-written Markdown as safe HTML: no scripts, no event handlers, only web and mail links. */
export function renderMarkdown(source: string): string {
	return sanitizeHtml(toHtml(source), ALLOWED);
}

/**
 * Whether the text carries HTML or links that the renderer would strip. Forms refuse such text
 * with a message rather than silently dropping part of what was typed.
 */
export function hasUnsafeMarkup(source: string): boolean {
	const html = toHtml(source);
	const everything = sanitizeHtml(html, {
		allowedTags: false,
		allowedAttributes: false,
		allowVulnerableTags: true,
		allowedSchemesAppliedToAttributes: []
	});
	return normalise(renderMarkdown(source)) !== normalise(everything);
}

function normalise(html: string): string {
	return html
		.replace(/ rel="[^"]*"/g, '')
		.replace(/<(\/?)h1>/g, '<$1h2>')
		.replace(/\s+/g, ' ')
		.trim();
}

/**
 * Plain text (a title, a name, a question) placed inside a Markdown document: every character
 * that can open a link, an image, emphasis, code or HTML is backslash-escaped (CommonMark renders
 * it as the character itself), and web addresses and e-mails are broken up so they do not turn
 * into autolinks; other punctuation stays readable. Control characters become spaces.
 */
export function escapeMarkdown(text: string): string {
	return (
		text
			// eslint-disable-next-line no-control-regex -- folding control characters is the point
			.replace(/[\u0000-\u001f\u007f]+/g, ' ')
			.trim()
			.replace(/[\\`*_[\]()<>!&|~@]/g, '\\$&')
			.replace(/:(?=\/\/)/g, '\\:')
			.replace(/(www)\./gi, '$1\\.')
	);
}

/**
 * Markdown as written, when the renderer keeps all of it; text with HTML or links the renderer
 * would strip (stored before forms refused it, or brought by an import) is shown as plain text.
 */
export function safeMarkdown(source: string): string {
	if (!hasUnsafeMarkup(source)) return source;
	return source.replace(/\r\n?/g, '\n').split('\n').map(escapeMarkdown).join('\n');
}

/** A link target with one of the schemes the renderer allows, or null. */
export function safeLinkUrl(value: string): string | null {
	try {
		const url = new URL(value);
		if (!['http:', 'https:', 'mailto:'].includes(url.protocol)) return null;
		return url.href;
	} catch {
		return null;
	}
}
