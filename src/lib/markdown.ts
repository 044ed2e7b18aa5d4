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
