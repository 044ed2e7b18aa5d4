import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { ticketHolder } from '../../../../tests/fixtures/agenda';
import { useTestDb } from '../../../../tests/fixtures/db';
import { domainError } from '../../../../tests/fixtures/domain-error';
import {
	actorOf,
	eventInput,
	grantRole,
	makeEvent,
	makeTicketType,
	makeUser,
	callInput,
	makeTalk,
	orderInput,
	ticketTypeInput
} from '../../../../tests/fixtures/factories';
import { listEventActivity } from '../core/activity';
import { m } from '$lib/paraglide/messages';
import { participation, requireParticipant, ticketHolders, type Actor } from './guards';
import { db, schema } from '../db';
import { isDomainError } from '../core/errors';
import { createEvent, setEventStatus, updateEvent } from '../events/events';
import { listOutbox } from '../core/mail';
import { addRoom, deleteRoom, updateRoom } from '../events/rooms';
import { addBlock, deleteBlock, setDayTitle, updateBlock } from '../events/schedule';
import { inviteToTeam, listTeam, removeFromTeam, revokeInvite } from '../people/team';
import { attendeesCsv, listOrders, ordersCsv, resendTicket } from '../tickets/attendees';
import { sendMailing } from '../people/mailings';
import { talksCsv } from '../talks/talks-csv';
import { proposalsCsv } from '../marketplace/proposals-csv';
import { cancelOrder } from '../tickets/cancellations';
import { checkIn, searchTickets, undoCheckIn } from '../tickets/checkin';
import { startOrder } from '../tickets/orders';
import { orderAndConfirm } from '../../../../tests/fixtures/mailbox';
import { orderForBuyer, ticketForHolder } from '../tickets/tickets';
import {
	addTicketType,
	deleteTicketType,
	updateTicketing,
	updateTicketType
} from '../tickets/ticketing';
import { closeWaitingList, listWaiting } from '../tickets/waitlist';
import {
	moveTalk,
	placeTalk,
	remindTicketless,
	reorderBlock,
	runningOrder
} from '../talks/running-order';
import { controlStage } from '../talks/stage';
import {
	decideTalk,
	decideTalks,
	listSubmissions,
	promoteReserve,
	reviewTalk,
	sendDecisions,
	submissionForReview
} from '../talks/review';
import { saveCall } from '../talks/talks';

// Every mutating action so far, tried by every kind of person, on their own event and with ids
// borrowed from another event. One row per (role, action): allowed or the error kind refused.

useTestDb();

type Outcome = 'ok' | 'unauthenticated' | 'forbidden' | 'not_found' | 'invalid';

async function outcome(run: () => Promise<unknown>): Promise<Outcome> {
	try {
		await run();
		return 'ok';
	} catch (e) {
		if (isDomainError(e)) return e.kind as Outcome;
		throw e;
	}
}

/** A fresh event with a day, a room, a block and a pending invite, and every kind of person. */
async function world() {
	const { event, organiser } = await makeEvent();
	const [day] = await db().select().from(schema.days).where(eq(schema.days.eventId, event.id));
	const room = await addRoom(organiser, event.id, {
		name: 'Hall',
		capacity: 50,
		accessibility: ''
	});
	const block = await addBlock(organiser, event.id, {
		dayId: day.id,
		kind: 'plenary',
		title: 'Opening',
		start: '09:00',
		end: '09:30',
		roomId: room.id
	});
	await inviteToTeam(
		organiser,
		event.id,
		{ email: 'helper@example.org', role: 'facilitator' },
		'http://test'
	);
	const [invite] = await db()
		.select()
		.from(schema.invites)
		.where(eq(schema.invites.eventId, event.id));
	const facilitatorUser = await makeUser();
	await grantRole(event.id, facilitatorUser.id, 'facilitator');
	const coOrganiser = await makeUser();
	await grantRole(event.id, coOrganiser.id, 'organiser');
	const ticketType = await makeTicketType(organiser, event.id);
	const reviewerUser = await makeUser();
	await grantRole(event.id, reviewerUser.id, 'reviewer');
	await saveCall(organiser, event.id, callInput(event.timeZone));
	const talkBlock = await addBlock(organiser, event.id, {
		dayId: day.id,
		kind: 'lightning_talks',
		title: 'Lightning talks',
		start: '10:00',
		end: '10:45',
		roomId: null
	});
	const { talk } = await makeTalk(event.id, { title: 'Sent in' });
	const { talk: reserve } = await makeTalk(event.id, { title: 'On reserve' });
	await decideTalk(organiser, event.id, reserve.id, 'reserve');
	const { talk: accepted } = await makeTalk(event.id, { title: 'Accepted' });
	await decideTalk(organiser, event.id, accepted.id, 'accepted');
	await placeTalk(organiser, event.id, accepted.id, talkBlock.id);
	const sale = await orderAndConfirm(event.id, orderInput(ticketType.id));
	if (sale.kind !== 'ticket') throw new Error('expected a ticket');
	const other = await makeEvent();
	return {
		event,
		day,
		room,
		block,
		invite,
		ticketType,
		talk,
		reserve,
		accepted,
		talkBlock,
		order: sale.order,
		ticket: sale.ticket,
		other: other.event,
		people: {
			anonymous: null as Actor,
			stranger: actorOf(await makeUser()),
			facilitator: actorOf(facilitatorUser),
			reviewer: actorOf(reviewerUser),
			otherOrganiser: other.organiser,
			organiser,
			admin: actorOf(await makeUser({ admin: true }))
		},
		coOrganiserId: coOrganiser.id
	};
}

type World = Awaited<ReturnType<typeof world>>;
type Person = keyof World['people'];

const blockInput = (w: World, overrides: object = {}) => ({
	dayId: w.day.id,
	kind: 'session_round' as const,
	title: 'Round',
	start: '11:00',
	end: '12:00',
	roomId: null,
	...overrides
});

const ACTIONS: Record<string, (w: World, a: Actor) => Promise<unknown>> = {
	'event.update': (w, a) =>
		updateEvent(a, w.event.id, eventInput({ slug: w.event.slug, name: 'Renamed' })),
	'event.publish': (w, a) => setEventStatus(a, w.event.id, 'published'),
	'day.rename': (w, a) => setDayTitle(a, w.event.id, w.day.id, 'Day one'),
	'block.add': (w, a) => addBlock(a, w.event.id, blockInput(w)),
	'block.update': (w, a) =>
		updateBlock(a, w.event.id, w.block.id, blockInput(w, { start: '09:00', end: '09:45' })),
	'block.delete': (w, a) => deleteBlock(a, w.event.id, w.block.id),
	'room.add': (w, a) =>
		addRoom(a, w.event.id, { name: 'New room', capacity: 10, accessibility: '' }),
	'room.update': (w, a) =>
		updateRoom(a, w.event.id, w.room.id, { name: 'Hall', capacity: 60, accessibility: '' }),
	'room.delete': (w, a) => deleteRoom(a, w.event.id, w.room.id),
	'team.invite': (w, a) =>
		inviteToTeam(a, w.event.id, { email: 'x@example.org', role: 'organiser' }, 'http://test'),
	'team.revoke': (w, a) => revokeInvite(a, w.event.id, w.invite.id),
	'team.remove': (w, a) => removeFromTeam(a, w.event.id, w.coOrganiserId, 'organiser'),
	'team.view': (w, a) => listTeam(a, w.event.id),
	'activity.view': (w, a) => listEventActivity(a, w.event.id),
	'ticketing.update': (w, a) =>
		updateTicketing(a, w.event.id, {
			currency: 'GBP',
			cancelUntil: '',
			refundPolicy: 'full',
			offerHours: 12
		}),
	'ticket_type.add': (w, a) => addTicketType(a, w.event.id, ticketTypeInput({ name: 'Extra' })),
	'ticket_type.update': (w, a) =>
		updateTicketType(a, w.event.id, w.ticketType.id, ticketTypeInput({ name: 'Renamed' })),
	'ticket_type.delete': (w, a) =>
		deleteTicketType(a, w.event.id, w.ticketType.id).catch(passInvalid),
	'orders.list': (w, a) => listOrders(a, w.event.id),
	'orders.csv': (w, a) => attendeesCsv(a, w.event.id),
	'orders.export': (w, a) => ordersCsv(a, w.event.id),
	'people.message': (w, a) =>
		sendMailing(a, w.event.id, {
			segment: 'tickets',
			versions: { en: { subject: 'Hello', body: 'See you.' } }
		}),
	'talks.export': (w, a) => talksCsv(a, w.event.id),
	'proposals.export': (w, a) => proposalsCsv(a, w.event.id),
	'talks.decide_many': (w, a) => decideTalks(a, w.event.id, [w.talk.id], 'reserve'),
	'order.cancel': (w, a) => cancelOrder(a, w.event.id, w.order.id),
	'order.resend': (w, a) => resendTicket(a, w.event.id, w.order.id, 'http://test'),
	'waiting_list.view': (w, a) => listWaiting(a, w.event.id),
	'waiting_list.close': (w, a) => closeWaitingList(a, w.event.id, 'See you next time'),
	'checkin.scan': (w, a) => checkIn(a, w.event.id, w.ticket.code),
	'checkin.search': (w, a) => searchTickets(a, w.event.id, 'Buyer'),
	'checkin.undo': async (w, a) => {
		await checkIn(w.people.organiser, w.event.id, w.ticket.code);
		return undoCheckIn(a, w.event.id, w.ticket.id);
	},
	'talks.call': (w, a) => saveCall(a, w.event.id, callInput(w.event.timeZone)),
	'talks.list': (w, a) => listSubmissions(a, w.event.id, { status: null, dayId: null }),
	'talks.read': (w, a) => submissionForReview(a, w.event.id, w.talk.id),
	'talks.review': (w, a) => reviewTalk(a, w.event.id, w.talk.id, { score: 3, note: 'Fine' }),
	'talks.decide': (w, a) => decideTalk(a, w.event.id, w.talk.id, 'accepted'),
	'talks.promote': (w, a) => promoteReserve(a, w.event.id, w.reserve.id),
	'talks.send_decisions': (w, a) => sendDecisions(a, w.event.id, 'http://test'),
	'talks.running_order': (w, a) => runningOrder(a, w.event.id),
	'talks.place': (w, a) => placeTalk(a, w.event.id, w.accepted.id, null),
	'talks.move': (w, a) => moveTalk(a, w.event.id, w.accepted.id, 'down'),
	'talks.reorder': (w, a) => reorderBlock(a, w.event.id, w.talkBlock.id, [w.accepted.id]),
	'talks.remind': (w, a) => remindTicketless(a, w.event.id, 'http://test'),
	'stage.control': (w, a) => controlStage(a, w.event.id, 'toggle')
};

/** A refusal for having orders is still past the permission check: it counts as allowed. */
function passInvalid(e: unknown) {
	if (isDomainError(e) && e.kind === 'invalid') return;
	throw e;
}

const ORGANISERS_ONLY: Record<Person, Outcome> = {
	anonymous: 'unauthenticated',
	stranger: 'forbidden',
	facilitator: 'forbidden',
	reviewer: 'forbidden',
	otherOrganiser: 'forbidden',
	organiser: 'ok',
	admin: 'ok'
};
const TEAM: Record<Person, Outcome> = { ...ORGANISERS_ONLY, facilitator: 'ok' };
const REVIEWERS: Record<Person, Outcome> = { ...ORGANISERS_ONLY, reviewer: 'ok' };

const TEAM_ACTIONS = new Set([
	'team.view',
	'checkin.scan',
	'checkin.search',
	'stage.control',
	'proposals.export'
]);
const REVIEW_ACTIONS = new Set([
	'talks.list',
	'talks.read',
	'talks.review',
	'talks.decide',
	'talks.decide_many',
	'talks.export'
]);
const EXPECTED: Record<string, Record<Person, Outcome>> = Object.fromEntries(
	Object.keys(ACTIONS).map((name) => [
		name,
		TEAM_ACTIONS.has(name) ? TEAM : REVIEW_ACTIONS.has(name) ? REVIEWERS : ORGANISERS_ONLY
	])
);

describe('permission matrix', () => {
	for (const [name, run] of Object.entries(ACTIONS)) {
		it(`${name}: ${Object.entries(EXPECTED[name])
			.map(([p, o]) => `${p}=${o}`)
			.join(' ')}`, async () => {
			const w: World = await world();
			const seen: Record<string, Outcome> = {};
			for (const person of Object.keys(w.people) as Person[]) {
				// Each person tries on a fresh world, so an allowed delete does not hide the next try.
				const fresh = person === 'anonymous' ? w : await world();
				seen[person] = await outcome(() => run(fresh, fresh.people[person]));
			}
			expect(seen).toEqual(EXPECTED[name]);
		});
	}

	it('anyone signed in may create an event; an anonymous visitor may not', async () => {
		expect(await outcome(() => createEvent(null, eventInput()))).toBe('unauthenticated');
		const stranger = actorOf(await makeUser());
		expect(await outcome(() => createEvent(stranger, eventInput()))).toBe('ok');
	});

	it('only the instance admin reads the outbox', async () => {
		const stranger = actorOf(await makeUser());
		const admin = actorOf(await makeUser({ admin: true }));
		expect(await outcome(() => listOutbox(null))).toBe('unauthenticated');
		expect(await outcome(() => listOutbox(stranger))).toBe('forbidden');
		expect(await outcome(() => listOutbox(admin))).toBe('ok');
	});
});

describe('ids from another event are refused, even to its organiser', () => {
	it('blocks, rooms, days and invites of event B cannot be reached through event A', async () => {
		const a = await world();
		const b = await world();
		const org = a.people.organiser;
		// A's organiser, acting on A, naming B's objects:
		expect(await outcome(() => updateBlock(org, a.event.id, b.block.id, blockInput(a)))).toBe(
			'not_found'
		);
		expect(await outcome(() => deleteBlock(org, a.event.id, b.block.id))).toBe('not_found');
		expect(await outcome(() => addBlock(org, a.event.id, blockInput(a, { dayId: b.day.id })))).toBe(
			'invalid'
		);
		expect(
			await outcome(() => addBlock(org, a.event.id, blockInput(a, { roomId: b.room.id })))
		).toBe('invalid');
		expect(
			await outcome(() =>
				updateRoom(org, a.event.id, b.room.id, { name: 'X', capacity: 1, accessibility: '' })
			)
		).toBe('not_found');
		expect(await outcome(() => deleteRoom(org, a.event.id, b.room.id))).toBe('not_found');
		expect(await outcome(() => setDayTitle(org, a.event.id, b.day.id, 'Hijacked'))).toBe(
			'not_found'
		);
		expect(await outcome(() => revokeInvite(org, a.event.id, b.invite.id))).toBe('not_found');
		expect(await outcome(() => removeFromTeam(org, a.event.id, b.coOrganiserId, 'organiser'))).toBe(
			'not_found'
		);

		// ...and B's objects are untouched.
		const [blockB] = await db()
			.select()
			.from(schema.blocks)
			.where(eq(schema.blocks.id, b.block.id));
		expect(blockB.title).toBe('Opening');
		const [roomB] = await db().select().from(schema.rooms).where(eq(schema.rooms.id, b.room.id));
		expect(roomB.name).toBe('Hall');

		// Ticketing: A's organiser cannot reach B's ticket types, orders or tickets through A.
		expect(
			await outcome(() => updateTicketType(org, a.event.id, b.ticketType.id, ticketTypeInput()))
		).toBe('not_found');
		expect(await outcome(() => deleteTicketType(org, a.event.id, b.ticketType.id))).toBe(
			'not_found'
		);
		expect(await outcome(() => cancelOrder(org, a.event.id, b.order.id))).toBe('not_found');
		expect(await outcome(() => resendTicket(org, a.event.id, b.order.id, 'http://test'))).toBe(
			'not_found'
		);
		expect((await checkIn(org, a.event.id, b.ticket.code)).status).toBe('other_event');
		expect(await outcome(() => undoCheckIn(org, a.event.id, b.ticket.id))).toBe('not_found');
		expect(
			await outcome(() => startOrder(null, a.event.id, orderInput(b.ticketType.id), 'http://test'))
		).toBe('invalid');

		// Talks: B's talks and blocks cannot be reviewed, decided or placed through A.
		expect(await outcome(() => submissionForReview(org, a.event.id, b.talk.id))).toBe('not_found');
		expect(
			await outcome(() => reviewTalk(org, a.event.id, b.talk.id, { score: 1, note: '' }))
		).toBe('not_found');
		expect(await outcome(() => decideTalk(org, a.event.id, b.talk.id, 'declined'))).toBe(
			'not_found'
		);
		expect(await outcome(() => promoteReserve(org, a.event.id, b.reserve.id))).toBe('not_found');
		expect(await outcome(() => placeTalk(org, a.event.id, b.accepted.id, a.talkBlock.id))).toBe(
			'not_found'
		);
		expect(await outcome(() => placeTalk(org, a.event.id, a.accepted.id, b.talkBlock.id))).toBe(
			'invalid'
		);
		expect(await outcome(() => moveTalk(org, a.event.id, b.accepted.id, 'up'))).toBe('not_found');
		expect(
			await outcome(() => reorderBlock(org, a.event.id, b.talkBlock.id, [b.accepted.id]))
		).toBe('invalid');
		const [talkB] = await db().select().from(schema.talks).where(eq(schema.talks.id, b.talk.id));
		expect(talkB.status).toBe('submitted');
	});
});

describe('attendees see only their own orders and tickets', () => {
	it('the holder and the buyer see a ticket; nobody else does, nor through another event', async () => {
		const { event, organiser } = await makeEvent();
		const type = await makeTicketType(organiser, event.id);
		const buyer = actorOf(await makeUser());
		const sale = await startOrder(
			buyer,
			event.id,
			orderInput(type.id, { attendeeEmail: 'holder@example.org' }),
			'http://test'
		);
		if (sale.kind !== 'ticket') throw new Error('expected a ticket');
		const [holder] = await db()
			.select()
			.from(schema.users)
			.where(eq(schema.users.email, 'holder@example.org'));
		const other = await makeEvent();
		expect(await outcome(() => ticketForHolder(buyer, event.id, sale.ticket.id))).toBe('ok');
		expect(await outcome(() => ticketForHolder(actorOf(holder), event.id, sale.ticket.id))).toBe(
			'ok'
		);
		const stranger = actorOf(await makeUser());
		expect(await outcome(() => ticketForHolder(stranger, event.id, sale.ticket.id))).toBe(
			'not_found'
		);
		expect(await outcome(() => ticketForHolder(null, event.id, sale.ticket.id))).toBe(
			'unauthenticated'
		);
		expect(await outcome(() => ticketForHolder(buyer, other.event.id, sale.ticket.id))).toBe(
			'not_found'
		);
		expect(await outcome(() => orderForBuyer(actorOf(holder), event.id, sale.order.id))).toBe(
			'not_found'
		);
		expect(await outcome(() => orderForBuyer(buyer, event.id, sale.order.id))).toBe('ok');
	});
});

describe('participation: a valid ticket for this event, or the team permission the caller names', () => {
	it('counts ticket holders and the named permission only, never another event or a cancelled ticket', async () => {
		const { event, organiser } = await makeEvent();
		const type = await makeTicketType(organiser, event.id);
		const holder = await ticketHolder(event.id, type.id);
		const cancelled = await ticketHolder(event.id, type.id);
		await db()
			.update(schema.tickets)
			.set({ status: 'cancelled' })
			.where(eq(schema.tickets.holderId, cancelled.id));
		const facilitator = actorOf(await makeUser());
		await grantRole(event.id, facilitator.id, 'facilitator');
		const reviewer = actorOf(await makeUser());
		await grantRole(event.id, reviewer.id, 'reviewer');
		const other = await makeEvent();
		const elsewhere = await ticketHolder(
			other.event.id,
			(await makeTicketType(other.organiser, other.event.id)).id
		);

		expect(await participation(holder, event.id)).toBe('ticket');
		expect(await participation(holder, event.id, 'marketplace.run')).toBe('ticket');
		expect(await participation(facilitator, event.id, 'marketplace.run')).toBe('team');
		// Negative controls: the team alone does not take part where no permission is named, nor
		// a role without the one named.
		expect(await participation(facilitator, event.id)).toBeNull();
		expect(await participation(reviewer, event.id, 'marketplace.run')).toBeNull();
		expect(await participation(cancelled, event.id)).toBeNull();
		expect(await participation(elsewhere, event.id)).toBeNull();
		expect(await participation(null, event.id, 'marketplace.run')).toBeNull();

		expect(await requireParticipant(facilitator, event.id, 'marketplace.run')).toBe('team');
		const refused = await domainError(() => requireParticipant(facilitator, event.id));
		expect(refused.fields._form).toBe(m.error_needs_ticket());
		expect((await domainError(() => requireParticipant(null, event.id))).kind).toBe(
			'unauthenticated'
		);
		const everyone = [holder.id, cancelled.id, facilitator.id, elsewhere.id];
		expect(await ticketHolders(event.id, everyone)).toEqual(new Set([holder.id]));
	});
});
