import { m } from '$lib/paraglide/messages';

// Every activity code the app writes, the sentence it reads as in the activity log and the page
// it leads to. `logActivity` accepts only these codes, so a new code without a sentence does not
// compile; activity-sentences.spec.ts also reads the sources for codes written as plain strings.

/** What a sentence may name; each is filled from the entry's data by activity.ts. */
export interface SentenceParams {
	who: string;
	talk: string;
	proposal: string;
	source: string;
	target: string;
	session: string;
	round: string;
	holder: string;
	person: string;
	block: string;
	type: string;
	item: string;
	decision: string;
	role: string;
	rule: string;
	licence: string;
	name: string;
	title: string;
	email: string;
	date: string;
	from: string;
	issuer: string;
	subject: string;
	count: number;
}

/** The page an entry leads to (see `activityHref` in activity.ts). */
export type ActivityLink =
	| 'agenda'
	| 'checkin'
	| 'directory'
	| 'harvest'
	| 'messages'
	| 'orders'
	| 'overview'
	| 'proposal'
	| 'report'
	| 'rooms'
	| 'rounds'
	| 'schedule'
	| 'source'
	| 'stage'
	| 'talk'
	| 'talks'
	| 'talks_call'
	| 'talks_order'
	| 'target'
	| 'team'
	| 'tickets';

interface Sentence {
	say: (params: SentenceParams) => string;
	link: ActivityLink | null;
}

export const ACTIVITY_SENTENCES = {
	'talk.presenter_invited': { say: m.act_talk_presenter_invited, link: 'talk' },
	'talk.presenter_removed': { say: m.act_talk_presenter_removed, link: 'talk' },
	'talk.presenter_confirmed': { say: m.act_talk_presenter_confirmed, link: 'talk' },
	'talks.call_saved': { say: m.act_talks_call_saved, link: 'talks_call' },
	'talk.submitted': { say: m.act_talk_submitted, link: 'talk' },
	'talk.drafted': { say: m.act_talk_drafted, link: 'talk' },
	'talk.edited': { say: m.act_talk_edited, link: 'talk' },
	'talk.withdrawn': { say: m.act_talk_withdrawn, link: 'talk' },
	'talk.reviewed': { say: m.act_talk_reviewed, link: 'talk' },
	'talk.decided': { say: m.act_talk_decided, link: 'talk' },
	'talk.promoted': { say: m.act_talk_promoted, link: 'talk' },
	'talks.decisions_sent': { say: m.act_talks_decisions_sent, link: 'talks' },
	'talk.placed': { say: m.act_talk_placed, link: 'talks_order' },
	'talks.reordered': { say: m.act_talks_reordered, link: 'talks_order' },
	'talks.ticket_reminders_sent': { say: m.act_talks_ticket_reminders_sent, link: 'talks' },
	'stage.toggle': { say: m.act_stage_toggle, link: 'stage' },
	'stage.next': { say: m.act_stage_next, link: 'stage' },
	'stage.back': { say: m.act_stage_back, link: 'stage' },
	'stage.reset': { say: m.act_stage_reset, link: 'stage' },
	'agenda.blocks': { say: m.act_agenda_blocks, link: 'agenda' },
	'agenda.generated': { say: m.act_agenda_generated, link: 'agenda' },
	'agenda.moved': { say: m.act_agenda_moved, link: 'agenda' },
	'agenda.swapped': { say: m.act_agenda_swapped, link: 'agenda' },
	'agenda.pinned': { say: m.act_agenda_pinned, link: 'agenda' },
	'agenda.unpinned': { say: m.act_agenda_unpinned, link: 'agenda' },
	'agenda.unscheduled': { say: m.act_agenda_unscheduled, link: 'agenda' },
	'agenda.scheduled': { say: m.act_agenda_scheduled, link: 'agenda' },
	'agenda.published': { say: m.act_agenda_published, link: 'agenda' },
	'round.created': { say: m.act_round_created, link: 'rounds' },
	'round.preparing': { say: m.act_round_preparing, link: 'rounds' },
	'round.proposing': { say: m.act_round_proposing, link: 'rounds' },
	'round.refining': { say: m.act_round_refining, link: 'rounds' },
	'round.voting': { say: m.act_round_voting, link: 'rounds' },
	'round.closed': { say: m.act_round_closed, link: 'rounds' },
	'round.scheduled': { say: m.act_round_scheduled, link: 'agenda' },
	'proposal.posted': { say: m.act_proposal_posted, link: 'proposal' },
	'proposal.edited': { say: m.act_proposal_edited, link: 'proposal' },
	'proposal.convener_joined': { say: m.act_proposal_convener_joined, link: 'proposal' },
	'proposal.merged': { say: m.act_proposal_merged, link: 'target' },
	'proposal.unmerged': { say: m.act_proposal_unmerged, link: 'source' },
	'comment.added': { say: m.act_comment_added, link: 'proposal' },
	'suggestion.made': { say: m.act_suggestion_made, link: 'proposal' },
	'suggestion.taken': { say: m.act_suggestion_taken, link: 'proposal' },
	'suggestion.left': { say: m.act_suggestion_left, link: 'proposal' },
	'merge.requested': { say: m.act_merge_requested, link: 'target' },
	'merge.agreed': { say: m.act_merge_agreed, link: 'target' },
	'merge.declined': { say: m.act_merge_declined, link: 'target' },
	'merge.withdrawn': { say: m.act_merge_withdrawn, link: 'target' },
	'harvest.item_added': { say: m.act_harvest_item_added, link: 'harvest' },
	'harvest.item_edited': { say: m.act_harvest_item_edited, link: 'harvest' },
	'harvest.item_removed': { say: m.act_harvest_item_removed, link: 'harvest' },
	'harvest.question': { say: m.act_harvest_question, link: 'harvest' },
	'harvest.notes': { say: m.act_harvest_notes, link: 'harvest' },
	'harvest.participants': { say: m.act_harvest_participants, link: 'harvest' },
	'harvest.note_taker_assigned': { say: m.act_harvest_note_taker_assigned, link: 'harvest' },
	'harvest.note_taker_unassigned': { say: m.act_harvest_note_taker_unassigned, link: 'harvest' },
	'harvest.continue_joined': { say: m.act_harvest_continue_joined, link: 'harvest' },
	'harvest.continue_left': { say: m.act_harvest_continue_left, link: 'harvest' },
	'harvest.completed': { say: m.act_harvest_completed, link: 'harvest' },
	'harvest.reopened': { say: m.act_harvest_reopened, link: 'harvest' },
	'harvest.hidden': { say: m.act_harvest_hidden, link: 'harvest' },
	'harvest.shown': { say: m.act_harvest_shown, link: 'harvest' },
	'report.licence_set': { say: m.act_report_licence_set, link: 'report' },
	'report.published': { say: m.act_report_published, link: 'report' },
	'report.unpublished': { say: m.act_report_unpublished, link: 'report' },
	'event.created': { say: m.act_event_created, link: 'overview' },
	'event.updated': { say: m.act_event_updated, link: 'overview' },
	'event.draft': { say: m.act_event_draft, link: 'overview' },
	'event.published': { say: m.act_event_published, link: 'overview' },
	'event.archived': { say: m.act_event_archived, link: 'overview' },
	'event.imported': { say: m.act_event_imported, link: 'overview' },
	'event.demo_loaded': { say: m.act_event_demo_loaded, link: 'overview' },
	'room.added': { say: m.act_room_added, link: 'rooms' },
	'room.updated': { say: m.act_room_updated, link: 'rooms' },
	'room.deleted': { say: m.act_room_deleted, link: 'rooms' },
	'block.added': { say: m.act_block_added, link: 'schedule' },
	'block.updated': { say: m.act_block_updated, link: 'schedule' },
	'block.deleted': { say: m.act_block_deleted, link: 'schedule' },
	'day.renamed': { say: m.act_day_renamed, link: 'schedule' },
	'ticketing.updated': { say: m.act_ticketing_updated, link: 'tickets' },
	'ticket_type.added': { say: m.act_ticket_type_added, link: 'tickets' },
	'ticket_type.updated': { say: m.act_ticket_type_updated, link: 'tickets' },
	'ticket_type.deleted': { say: m.act_ticket_type_deleted, link: 'tickets' },
	'order.requested': { say: m.act_order_requested, link: 'orders' },
	'order.held': { say: m.act_order_held, link: 'orders' },
	'order.paid': { say: m.act_order_paid, link: 'orders' },
	'order.expired': { say: m.act_order_expired, link: 'orders' },
	'order.cancelled': { say: m.act_order_cancelled, link: 'orders' },
	'order.refund_pending': { say: m.act_order_refund_pending, link: 'orders' },
	'order.refunded': { say: m.act_order_refunded, link: 'orders' },
	'order.partly_refunded': { say: m.act_order_partly_refunded, link: 'orders' },
	'order.refunded_at_stripe': { say: m.act_order_refunded_at_stripe, link: 'orders' },
	'order.disputed': { say: m.act_order_disputed, link: 'orders' },
	'ticket.issued': { say: m.act_ticket_issued, link: 'orders' },
	'ticket.resent': { say: m.act_ticket_resent, link: 'orders' },
	'ticket.checked_in': { say: m.act_ticket_checked_in, link: 'checkin' },
	'ticket.check_in_undone': { say: m.act_ticket_check_in_undone, link: 'checkin' },
	'ticket.check_in_conflict': { say: m.act_ticket_check_in_conflict, link: 'checkin' },
	'door_key.revoked': { say: m.act_door_key_revoked, link: 'checkin' },
	'ticket.shown_name_changed': { say: m.act_ticket_shown_name_changed, link: 'orders' },
	'waiting_list.joined': { say: m.act_waiting_list_joined, link: 'tickets' },
	'waiting_list.offered': { say: m.act_waiting_list_offered, link: 'tickets' },
	'waiting_list.offer_expired': { say: m.act_waiting_list_offer_expired, link: 'tickets' },
	'waiting_list.closed': { say: m.act_waiting_list_closed, link: 'tickets' },
	'directory.joined': { say: m.act_directory_joined, link: 'directory' },
	'directory.updated': { say: m.act_directory_updated, link: 'directory' },
	'directory.left': { say: m.act_directory_left, link: 'directory' },
	'mailing.sent': { say: m.act_mailing_sent, link: 'messages' },
	'team.invited': { say: m.act_team_invited, link: 'team' },
	'team.invited_on_import': { say: m.act_team_invited_on_import, link: 'team' },
	'placeholder.claim_sent': { say: m.act_placeholder_claim_sent, link: 'team' },
	'placeholder.claimed': { say: m.act_placeholder_claimed, link: 'team' },
	'team.invite_revoked': { say: m.act_team_invite_revoked, link: 'team' },
	'team.joined': { say: m.act_team_joined, link: 'team' },
	'team.removed': { say: m.act_team_removed, link: 'team' },
	'user.signed_up': { say: m.act_user_signed_up, link: null },
	'user.signed_up_by_provider': { say: m.act_user_signed_up_by_provider, link: null },
	'user.linked_provider': { say: m.act_user_linked_provider, link: null },
	'user.signed_in_by_link': { say: m.act_user_signed_in_by_link, link: null },
	'user.signed_in_by_provider': { say: m.act_user_signed_in_by_provider, link: null },
	'user.password_reset': { say: m.act_user_password_reset, link: null },
	'user.created_for_ticket': { say: m.act_user_created_for_ticket, link: null },
	'user.profile_changed': { say: m.act_user_profile_changed, link: null },
	'user.email_changed': { say: m.act_user_email_changed, link: null },
	'account.deleted': { say: m.act_account_deleted, link: null },
	'instance.setup': { say: m.act_instance_setup, link: null },
	'instance.provider_only_on': { say: m.act_instance_provider_only_on, link: null },
	'instance.provider_only_off': { say: m.act_instance_provider_only_off, link: null },
	'instance.event_creation_set': { say: m.act_instance_event_creation_set, link: null },
	'instance.event_creator_named': { say: m.act_instance_event_creator_named, link: null },
	'instance.event_creator_unnamed': { say: m.act_instance_event_creator_unnamed, link: null }
} as const satisfies Record<string, Sentence>;

export type ActivityAction = keyof typeof ACTIVITY_SENTENCES;

/** Codes after `prefix.`: `harvest.${what}` is a code when `what` is one of these. */
export type ActivityCodesUnder<P extends string> = ActivityAction extends infer A
	? A extends `${P}.${infer Rest}`
		? Rest
		: never
	: never;

export const isActivityAction = (code: string): code is ActivityAction =>
	Object.hasOwn(ACTIVITY_SENTENCES, code);
