import { escapeMarkdown, safeLinkUrl, safeMarkdown } from '$lib/markdown';
import { m } from '$lib/paraglide/messages';
import { getLocale } from '$lib/paraglide/runtime';
import { licenceDeed, licenceLabel, slotWhen } from '$lib/report-format';
import { formatDate } from '$lib/time';
import type { EventReport, ReportSession } from './report';

// The event report as one Markdown document, for people who keep notes in their own tools.
// Harvest texts are Markdown already and go in as the page renders them; titles, names,
// questions and owners are plain text, escaped so they can never open a link or an image.

const line = (s: string) => escapeMarkdown(s.replace(/\s*\r?\n\s*/g, ' '));

/** A list entry whose text may span lines: continuation lines are indented under the bullet. */
const bullet = (text: string) => `- ${safeMarkdown(text.trim()).replace(/\r?\n/g, '\n  ')}`;

/** A link only to an allowed scheme; anything else is its title as plain text. */
const link = (title: string, url: string) => {
	const target = safeLinkUrl(url);
	if (!target) return line(title || url);
	return `[${line(title || target)}](<${target.replace(/[<>\s]/g, encodeURIComponent)}>)`;
};

function action(a: { text: string; owner: string | null; dueOn: string | null }, locale: string) {
	const who = [
		a.owner ? m.hr_owner({ name: line(a.owner) }) : m.hr_no_owner(),
		a.dueOn ? m.hr_due({ date: formatDate(a.dueOn, locale) }) : ''
	].filter(Boolean);
	return bullet(`${safeMarkdown(a.text.trim())} (${who.join(', ')})`);
}

function session(s: ReportSession, locale: string): string[] {
	const out = [`### ${line(s.title)}`, ''];
	out.push(`- ${m.hr_room()}: ${line(s.room)}`);
	if (s.conveners.length) out.push(`- ${m.hr_conveners()}: ${s.conveners.map(line).join(', ')}`);
	if (s.participants !== null) out.push(`- ${m.hr_participants()}: ${s.participants}`);
	out.push('');
	if (s.question) out.push(`**${m.hr_question()}:** ${line(s.question)}`, '');
	const list = (title: string, entries: string[]) => {
		if (entries.length) out.push(`#### ${title}`, '', ...entries, '');
	};
	list(
		m.hr_insights(),
		s.insights.map((x) => bullet(x.text))
	);
	list(
		m.hr_actions(),
		s.actions.map((a) => action(a, locale))
	);
	list(
		m.hr_open_questions(),
		s.questions.map((x) => bullet(x.text))
	);
	list(
		m.hr_resources(),
		s.resources.map((x) => `- ${link(x.title, x.url)}`)
	);
	if (s.notes.trim()) out.push(`#### ${m.hr_notes()}`, '', safeMarkdown(s.notes.trim()), '');
	return out;
}

export function reportMarkdown(report: EventReport, locale = getLocale()): string {
	const { event } = report;
	const out = [`# ${m.hr_report_title({ event: line(event.name) })}`, ''];
	const deed = licenceDeed(report.licence);
	const licence = deed ? link(licenceLabel(report.licence), deed) : licenceLabel(report.licence);
	out.push(m.hr_licence_line({ licence }), '');
	if (report.publishedAt) {
		out.push(
			m.hr_published_on({
				date: formatDate(report.publishedAt.toISOString().slice(0, 10), locale)
			}),
			''
		);
	}
	if (!report.rounds.length) out.push(m.hr_no_harvests(), '');
	for (const round of report.rounds) {
		out.push(`## ${line(round.title)}`, '');
		for (const block of round.blocks) {
			const when = slotWhen(block.startsAt, block.endsAt, event.timeZone, locale);
			out.push(`*${line(block.title)} · ${when}*`, '');
			for (const s of block.sessions) out.push(...session(s, locale));
		}
	}
	if (report.talks.length) {
		out.push(`## ${m.hr_talks()}`, '');
		for (const day of report.talks) {
			const when = slotWhen(day.block.startsAt, day.block.endsAt, event.timeZone, locale);
			out.push(`*${line(day.block.title)} · ${when}*`, '');
			for (const t of day.talks) {
				out.push(`### ${line(t.title)}`, '');
				if (t.presenters) out.push(`${m.hr_presenters()}: ${line(t.presenters)}`, '');
				if (t.summary.trim()) out.push(safeMarkdown(t.summary.trim()), '');
			}
		}
	}
	if (report.actions.length) {
		out.push(`## ${m.hr_all_actions()}`, '');
		for (const a of report.actions) {
			out.push(
				action({ ...a, text: `${safeMarkdown(a.text.trim())} — ${line(a.session)}` }, locale)
			);
		}
		out.push('');
	}
	return `${out
		.join('\n')
		.replace(/\n{3,}/g, '\n\n')
		.trim()}\n`;
}
