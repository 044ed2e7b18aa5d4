// Every message has an HTML part made from its plain text, so the two always say the same:
// paragraphs at blank lines, line breaks kept, links made clickable, everything else escaped.

const escape = (s: string) =>
	s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

// Split before escaping, so an escaped entity never ends up inside or beside a link.
const linked = (line: string) =>
	line
		.split(/(https?:\/\/\S*[^\s.,;:!?)])/g)
		.map((part, i) => (i % 2 ? `<a href="${escape(part)}">${escape(part)}</a>` : escape(part)))
		.join('');

/** The HTML part of a message; `extra` is trusted HTML placed after the text (an inline image). */
export function mailHtml(subject: string, text: string, extra = ''): string {
	const paragraphs = text
		.trim()
		.split(/\n\s*\n/)
		.map((p) => `<p>${p.split('\n').map(linked).join('<br>\n')}</p>`)
		.join('\n');
	return `<!doctype html>
<html><head><meta charset="utf-8"><title>${escape(subject)}</title></head>
<body style="font-family: system-ui, sans-serif; line-height: 1.5; max-width: 40rem; margin: 0 auto; padding: 1rem; color: #1a1a1a">
${paragraphs}
${extra}
</body></html>`;
}

/**
 * A message's HTML as its reader's mail program shows it: images it carries inline (`cid:`) are
 * put in place as data URLs, for reading the message in the outbox.
 */
export function withInlineImages(
	html: string,
	attachments: { cid?: string; contentType: string; content: string }[]
): string {
	const inline = new Map(
		attachments
			.filter((a) => a.cid)
			.map((a) => [a.cid!, `data:${a.contentType};base64,${a.content}`])
	);
	return html.replace(/(["'])cid:([^"']+)\1/g, (whole, quote: string, cid: string) =>
		inline.has(cid) ? `${quote}${inline.get(cid)}${quote}` : whole
	);
}
