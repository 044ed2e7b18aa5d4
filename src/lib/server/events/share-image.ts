import { createRequire } from 'node:module';
import { Resvg } from '@resvg/resvg-js';
import { formatDateRange } from '$lib/time';
import { sha256 } from '../auth/tokens';

// The picture a chat or social network shows beside a shared link to an event (og:image):
// 1200×630 PNG drawn from an SVG written here, with the event's name, dates and place. resvg
// renders it with the Noto Sans files shipped in an npm package, never a system font or a
// CDN, so it looks the same on every machine. Images are kept by a key made of what they show,
// so an edited event gets a new image (and a new address, see shareImageKey) at once.

export const SHARE_WIDTH = 1200;
export const SHARE_HEIGHT = 630;

interface ShareEvent {
	id: number;
	name: string;
	venue: string;
	address: string;
	startDate: string;
	endDate: string;
}

const require = createRequire(import.meta.url);
let fonts: string[] | undefined;
const fontFiles = () =>
	(fonts ??= ['400Regular/NotoSans_400Regular.ttf', '700Bold/NotoSans_700Bold.ttf'].map((f) =>
		require.resolve(`@expo-google-fonts/noto-sans/${f}`)
	));

const escape = (s: string) =>
	s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/**
 * Lines of at most `width` pixels at `size`, by a glyph width estimate (Noto Sans Bold averages
 * about 0.6 em); at most `max` lines, the last one cut with an ellipsis.
 */
function wrap(text: string, size: number, width: number, max: number, em = 0.6): string[] {
	const fits = Math.max(4, Math.floor(width / (size * em)));
	const lines: string[] = [];
	let line = '';
	for (const word of text.split(/\s+/).filter(Boolean)) {
		const next = line ? `${line} ${word}` : word;
		if (next.length <= fits) line = next;
		else {
			if (line) lines.push(line);
			line = word.length > fits ? `${word.slice(0, fits - 1)}…` : word;
		}
	}
	if (line) lines.push(line);
	if (lines.length <= max) return lines;
	const kept = lines.slice(0, max);
	kept[max - 1] = `${kept[max - 1].slice(0, fits - 1).trimEnd()}…`;
	return kept;
}

function what(event: ShareEvent, locale: string) {
	return {
		name: event.name.trim(),
		dates: formatDateRange(event.startDate, event.endDate, locale),
		place: [event.venue, event.address].filter(Boolean).join(', ')
	};
}

/** A short key of what the image shows; part of its address, so a change is a new image. */
export function shareImageKey(event: ShareEvent, locale: string): string {
	return sha256(JSON.stringify(['v1', what(event, locale)])).slice(0, 16);
}

export function shareImageSvg(event: ShareEvent, locale: string): string {
	const { name, dates, place } = what(event, locale);
	const left = 96;
	const width = SHARE_WIDTH - left - 80;
	// Long names get a smaller size before they get more lines.
	const size = name.length > 60 ? 60 : name.length > 30 ? 72 : 84;
	const title = wrap(name, size, width, 3);
	const lineHeight = Math.round(size * 1.15);
	const titleTop = 150;
	const after = titleTop + (title.length - 1) * lineHeight + 80;
	const dateLines = wrap(dates, 40, width, 2);
	const placeTop = after + dateLines.length * 50 + 10;
	// The place takes a second line only where it clears the footer.
	const placeLines = place ? wrap(place, 36, width, placeTop + 46 <= 520 ? 2 : 1, 0.55) : [];
	const lines = (items: string[], top: number, step: number, attrs: string) =>
		items
			.map((l, i) => `<text x="${left}" y="${top + i * step}" ${attrs}>${escape(l)}</text>`)
			.join('\n');
	return `<svg xmlns="http://www.w3.org/2000/svg" width="${SHARE_WIDTH}" height="${SHARE_HEIGHT}" viewBox="0 0 ${SHARE_WIDTH} ${SHARE_HEIGHT}">
<rect width="100%" height="100%" fill="#fbf8f1"/>
<rect x="0" y="0" width="40" height="${SHARE_HEIGHT}" fill="#1f5f4a"/>
<g font-family="Noto Sans" fill="#1b1f24">
${lines(title, titleTop, lineHeight, `font-size="${size}" font-weight="700"`)}
${lines(dateLines, after, 50, 'font-size="40" font-weight="700" fill="#1f5f4a"')}
${lines(placeLines, placeTop, 46, 'font-size="36" fill="#4a525c"')}
<text x="${left}" y="${SHARE_HEIGHT - 56}" font-size="30" fill="#4a525c">Commonspace</text>
</g>
</svg>`;
}

const cache = new Map<string, Buffer>();
const CACHE_MAX = 200;

/** The event's share image as PNG, drawn once per key and kept (a few hundred at most). */
export function shareImagePng(event: ShareEvent, locale: string): Buffer {
	const key = `${event.id}:${shareImageKey(event, locale)}`;
	const kept = cache.get(key);
	if (kept) return kept;
	const png = new Resvg(shareImageSvg(event, locale), {
		fitTo: { mode: 'width', value: SHARE_WIDTH },
		font: { fontFiles: fontFiles(), loadSystemFonts: false, defaultFontFamily: 'Noto Sans' }
	})
		.render()
		.asPng();
	// An older image of the same event is dropped; beyond the limit, the oldest one.
	for (const k of cache.keys()) if (k.startsWith(`${event.id}:`)) cache.delete(k);
	if (cache.size >= CACHE_MAX) cache.delete(cache.keys().next().value!);
	cache.set(key, png);
	return png;
}
