import type { TalkStatus } from '$lib/constants';
import { m } from '$lib/paraglide/messages';

const LABELS: Record<TalkStatus, () => string> = {
	draft: () => m.talksp_status_draft(),
	submitted: () => m.talksp_status_submitted(),
	accepted: () => m.talksp_status_accepted(),
	reserve: () => m.talksp_status_reserve(),
	declined: () => m.talksp_status_declined(),
	withdrawn: () => m.talksp_status_withdrawn()
};

const DECIDED: readonly TalkStatus[] = ['accepted', 'reserve', 'declined'];

/**
 * What the presenters are told: a decision shows once the organisers have sent it; until then
 * (or while they change their mind) the talk reads as under review, or as the last decision sent.
 */
export function shownStatus(talk: {
	status: TalkStatus;
	notifiedStatus: TalkStatus | null;
}): TalkStatus {
	if (!DECIDED.includes(talk.status)) return talk.status;
	if (talk.notifiedStatus && DECIDED.includes(talk.notifiedStatus)) return talk.notifiedStatus;
	return 'submitted';
}

export const talkStatusLabel = (status: TalkStatus) => LABELS[status]();
