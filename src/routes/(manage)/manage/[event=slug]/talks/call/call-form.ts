import { instantToZoned, zonedToInstant } from '$lib/time';
import { defaultTemplates, type TalkCall } from '$lib/server/talks/talks';

const local = (instant: Date, timeZone: string) => {
	const z = instantToZoned(instant, timeZone);
	return `${z.date}T${z.time}`;
};

/** The call form's values: the saved call, or sensible defaults for a new one. */
export function callFormValues(
	call: TalkCall | null,
	event: { timeZone: string; startDate: string }
): Record<string, string> {
	const tz = event.timeZone;
	if (!call) {
		const closes = zonedToInstant(event.startDate, '00:00', tz);
		return {
			opensAt: local(new Date(), tz),
			closesAt: local(new Date(closes.getTime() - 7 * 86_400_000), tz),
			talkMinutes: '5',
			perDay: '8',
			summaryMax: '600',
			ticketRule: 'present',
			questions: '',
			...defaultTemplates()
		};
	}
	return {
		opensAt: local(call.opensAt, tz),
		closesAt: local(call.closesAt, tz),
		talkMinutes: String(call.talkMinutes),
		perDay: String(call.perDay),
		summaryMax: String(call.summaryMax),
		ticketRule: call.ticketRule,
		questions: call.questions.join('\n'),
		acceptedTemplate: call.acceptedTemplate,
		reserveTemplate: call.reserveTemplate,
		declinedTemplate: call.declinedTemplate
	};
}
