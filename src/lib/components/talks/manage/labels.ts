import type { TalkStatus } from '$lib/constants';
import { m } from '$lib/paraglide/messages';

const STATUS_LABELS: Record<TalkStatus, () => string> = {
	draft: () => m.talksm_status_draft(),
	submitted: () => m.talksm_status_submitted(),
	accepted: () => m.talksm_status_accepted(),
	reserve: () => m.talksm_status_reserve(),
	declined: () => m.talksm_status_declined(),
	withdrawn: () => m.talksm_status_withdrawn()
};

export const talkStatusLabel = (status: TalkStatus) => STATUS_LABELS[status]();

/** The statuses a talk can have once it has been sent in, in the order reviewers think of them. */
export const SENT_IN_STATUSES: readonly TalkStatus[] = [
	'submitted',
	'accepted',
	'reserve',
	'declined',
	'withdrawn'
];

/** An average score to one decimal, in the reader's language. */
export const formatScore = (score: number, locale: string) =>
	new Intl.NumberFormat(locale, { maximumFractionDigits: 1, minimumFractionDigits: 1 }).format(
		score
	);
