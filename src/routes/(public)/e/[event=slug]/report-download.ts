import { eventForPublic } from '../../../../lib/server/events/events';
import { eventReport } from '../../../../lib/server/harvest/report';
import { orHttpError } from '../../../../lib/server/core/http';
import { reportMarkdown } from '../../../../lib/server/harvest/report-markdown';

// The report's downloads: the same visibility as its page (published, or an organiser's preview).

const FORMATS = {
	md: { type: 'text/markdown; charset=utf-8', body: reportMarkdown },
	json: {
		type: 'application/json',
		body: (report: Parameters<typeof reportMarkdown>[0]) => JSON.stringify(report, null, 2)
	}
} as const;

export async function reportDownload(
	{ locals, params, url }: { locals: App.Locals; params: { event: string }; url: URL },
	format: keyof typeof FORMATS
): Promise<Response> {
	const event = await orHttpError(url, () => eventForPublic(locals.user, params.event));
	const report = await orHttpError(url, () => eventReport(locals.user, event.id));
	return new Response(FORMATS[format].body(report), {
		headers: {
			'Content-Type': FORMATS[format].type,
			'Content-Disposition': `attachment; filename="${event.slug}-report.${format}"`,
			// A preview is for organisers only, and a published report can still change.
			'Cache-Control': 'private, no-store'
		}
	});
}
