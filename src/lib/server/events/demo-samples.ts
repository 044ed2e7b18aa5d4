import { and, asc, eq, isNull } from 'drizzle-orm';
import { schema, db } from '../db';
import type { Actor } from '../auth/guards';
import { generateAgenda, publishAgenda } from '../agenda/agenda';
import { addHarvestItem } from '../harvest/items';
import { saveHarvestField } from '../harvest/harvest';
import { castDot } from '../marketplace/dots';
import { propose } from '../marketplace/proposals';
import { setPhase } from '../marketplace/rounds';
import { findOrCreateUser } from '../people/users';
import { decideTalk } from '../talks/review';
import { submitTalk } from '../talks/talks';
import { startOrder } from '../tickets/orders';
import { setEventStatus, type Event } from './events';

// Sample people for the demo event, so every screen shows something real: each has a free
// ticket with the name they chose to show, some sent lightning talks, the first morning's
// marketplace is voted and on the agenda with a harvest, the second is open for dots. They have
// no passwords: anyone trying the demo signs in as one by an e-mailed link, read in the outbox.

export const SAMPLE_PEOPLE = [
	{ name: 'Ana Ferreira', shown: 'Ana (she/her)', email: 'ana@demo.commonspace.invalid' },
	{ name: 'Bongani Dlamini', shown: 'Bongani', email: 'bongani@demo.commonspace.invalid' },
	{ name: 'Chiara Rossi', shown: '', email: 'chiara@demo.commonspace.invalid' },
	{ name: 'Dara Okafor', shown: 'Dara (they/them)', email: 'dara@demo.commonspace.invalid' },
	{ name: 'Emil Lindqvist', shown: '', email: 'emil@demo.commonspace.invalid' },
	{ name: 'Farah Haddad', shown: 'Farah H.', email: 'farah@demo.commonspace.invalid' }
];

const TALKS = [
	{ title: 'A shared server co-op for twelve villages', presenter: 0 },
	{ title: 'Paying freelancers fairly through a platform co-op', presenter: 3 }
];

const PROPOSALS = [
	{ title: 'Seed libraries across the network', question: 'How do growers share seeds?' },
	{ title: 'Mesh networks on estates', question: 'Who keeps the estate online?' },
	{ title: 'Co-op bylaws, in plain words', question: 'Can we write a template together?' },
	{ title: 'Funding without a venture round', question: 'What worked for your co-op?' }
];

/** Add the sample people, talks, proposals, dots and a harvest to the demo event; publishes it. */
export async function loadDemoSamples(admin: NonNullable<Actor>, event: Event, origin: string) {
	const live = await setEventStatus(admin, event.id, 'published');
	const [free] = await db()
		.select()
		.from(schema.ticketTypes)
		.where(
			and(
				eq(schema.ticketTypes.eventId, event.id),
				eq(schema.ticketTypes.pricing, 'free'),
				isNull(schema.ticketTypes.accessCode)
			)
		);
	const people: NonNullable<Actor>[] = [];
	for (const person of SAMPLE_PEOPLE) {
		const { user } = await findOrCreateUser(person.email, person.name);
		const actor = { id: user.id, isAdmin: false };
		await startOrder(
			actor,
			live.id,
			{
				ticketTypeId: free.id,
				attendeeName: person.name,
				attendeeEmail: person.email,
				publicName: person.shown,
				dietary: '',
				access: '',
				amount: 0,
				accessCode: '',
				offer: ''
			},
			origin
		);
		people.push(actor);
	}
	for (const talk of TALKS) {
		const sent = await submitTalk(
			people[talk.presenter],
			live.id,
			null,
			{
				title: talk.title,
				summary: 'What we built, what broke, and who we would like to meet.',
				presenters: SAMPLE_PEOPLE[talk.presenter].shown || SAMPLE_PEOPLE[talk.presenter].name,
				links: '',
				preferredDayId: null,
				accessNeeds: ''
			},
			['Yes: other co-ops who run their own servers.']
		);
		await decideTalk(admin, live.id, sent.id, 'accepted');
	}
	const rounds = await db()
		.select()
		.from(schema.rounds)
		.where(eq(schema.rounds.eventId, live.id))
		.orderBy(asc(schema.rounds.id));
	const [first, second] = rounds;
	// The first morning: proposed, voted, on the agenda, one session harvested.
	const made = [];
	for (const [i, p] of PROPOSALS.entries()) {
		made.push(
			await propose(people[i], live.id, first.id, {
				title: p.title,
				question: p.question,
				description: '',
				format: 'discussion',
				groupSize: null
			})
		);
	}
	await setPhase(admin, live.id, first.id, 'voting');
	for (const [v, voter] of people.entries()) {
		await castDot(voter, live.id, made[v % made.length].id);
		await castDot(voter, live.id, made[(v + 1) % made.length].id);
	}
	await setPhase(admin, live.id, first.id, 'closed');
	await generateAgenda(admin, live.id, first.id);
	await publishAgenda(admin, live.id, first.id);
	const [session] = await db()
		.select()
		.from(schema.agendaSessions)
		.where(eq(schema.agendaSessions.roundId, first.id))
		.orderBy(asc(schema.agendaSessions.id))
		.limit(1);
	const writer = people[0];
	await saveHarvestField(writer, live.id, session.id, {
		field: 'question',
		value: 'How do we start a seed library in our own town?',
		version: 0
	});
	await addHarvestItem(writer, live.id, session.id, {
		kind: 'insight',
		text: 'A shelf in the library and a monthly swap is enough to start.',
		owner: null,
		dueOn: null,
		url: null
	});
	await addHarvestItem(writer, live.id, session.id, {
		kind: 'action',
		text: 'Share the swap card template with the network.',
		owner: SAMPLE_PEOPLE[1].shown,
		dueOn: null,
		url: null
	});
	// The second morning: open for dots, with a proposal already dotted.
	await setPhase(admin, live.id, second.id, 'proposing');
	const open = await propose(people[4], live.id, second.id, {
		title: 'Harvesting a gathering that lasts',
		question: 'How do we keep working after day two?',
		description: '',
		format: 'fishbowl',
		groupSize: null
	});
	await setPhase(admin, live.id, second.id, 'voting');
	await castDot(people[5], live.id, open.id);
	return live;
}
