import type * as v from 'valibot';
import {
	moveSchema,
	pinSchema,
	placeSchema,
	roundBlocksSchema,
	sessionSchema,
	swapSchema
} from '$lib/schemas/agenda';
import { noFields } from '$lib/schemas/form';
import {
	agendaOf,
	daysAround,
	generateAgenda,
	type AgendaEdit,
	moveSession,
	pinSession,
	publishAgenda,
	scheduleProposal,
	setRoundBlocks,
	swapSessions,
	unscheduleSession
} from '$lib/server/agenda/agenda';
import { eventForManage } from '$lib/server/events/events';
import { formAction, formFor, orHttpError } from '$lib/server/core/http';
import type { Actions, PageServerLoad, RequestEvent } from './$types';

const manage = ({ locals, params, url }: RequestEvent | Parameters<PageServerLoad>[0]) =>
	orHttpError(url, () => eventForManage(locals.user, params.event, 'marketplace.run'));

export const load: PageServerLoad = async (request) => {
	const event = await manage(request);
	const { params, url } = request;
	const roundId = Number(params.round);
	const agenda = await orHttpError(url, () => agendaOf(event.id, roundId));
	// The day view: the whole days around the round's blocks, other rounds and plenaries too.
	const view = url.searchParams.get('view') === 'day' ? 'day' : 'round';
	return { agenda, view, day: view === 'day' ? await daysAround(event.id, roundId) : null };
};

/**
 * One action per form. Each result names its form (`session-<id>`, `proposal-<id>`, `blocks`,
 * `generate`, `publish`) so errors and what was chosen show beside the form that sent them.
 */
async function act<S extends v.GenericSchema>(
	request: RequestEvent,
	schema: S,
	formOf: (data: FormData) => string,
	run: (eventId: number, input: v.InferOutput<S>) => Promise<Record<string, unknown> | void>
) {
	const event = await manage(request);
	return formAction(request, schema, formOf, async (input, { values }) => ({
		saved: true,
		// An edit sent by "Undo" is not offered to be undone in turn.
		undone: values.undone === '1',
		...(await run(event.id, input))
	}));
}

/** A hand edit's answer: the conflicts it brought and the step that takes it back. */
const edit = ({ conflicts, undo }: AgendaEdit) => ({ conflicts, undo });

const bySession = formFor('session', 'sessionId');
const round = (request: RequestEvent) => Number(request.params.round);

export const actions: Actions = {
	blocks: (request) =>
		act(
			request,
			roundBlocksSchema,
			() => 'blocks',
			(eventId, { blockIds }) =>
				setRoundBlocks(request.locals.user, eventId, round(request), blockIds)
		),
	generate: (request) =>
		act(
			request,
			noFields,
			() => 'generate',
			async (eventId) => {
				const result = await generateAgenda(request.locals.user, eventId, round(request));
				return { placed: result.placed, left: result.unscheduled.length };
			}
		),
	move: (request) =>
		act(request, moveSchema, bySession, (eventId, { sessionId, slot }) =>
			moveSession(request.locals.user, eventId, sessionId, slot.blockId, slot.roomId).then(edit)
		),
	swap: (request) =>
		act(request, swapSchema, bySession, (eventId, { sessionId, other }) =>
			swapSessions(request.locals.user, eventId, sessionId, other).then(edit)
		),
	pin: (request) =>
		act(request, pinSchema, bySession, (eventId, { sessionId, pinned }) =>
			pinSession(request.locals.user, eventId, sessionId, pinned).then(edit)
		),
	unschedule: (request) =>
		act(request, sessionSchema, bySession, (eventId, { sessionId }) =>
			unscheduleSession(request.locals.user, eventId, sessionId).then(edit)
		),
	place: (request) =>
		act(request, placeSchema, formFor('proposal', 'proposalId'), (eventId, { proposalId, slot }) =>
			scheduleProposal(request.locals.user, eventId, proposalId, slot.blockId, slot.roomId).then(
				edit
			)
		),
	publish: (request) =>
		act(
			request,
			noFields,
			() => 'publish',
			async (eventId) => {
				await publishAgenda(request.locals.user, eventId, round(request));
			}
		)
};
