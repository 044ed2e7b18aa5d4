import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { EVENT_STATUSES, HARVEST_FIELDS, ROUND_PHASES } from '$lib/constants';
import { m } from '$lib/paraglide/messages';
import { STAGE_ACTIONS } from '$lib/schemas/talks';
import { harvestSessions } from '../../../../tests/fixtures/harvest';
import { makeEvent } from '../../../../tests/fixtures/factories';
import { EVENT_PERMISSIONS } from '../auth/guards';
import { db, schema } from '../db';
import { addHarvestItem } from '../harvest/items';
import { logActivity } from './activity';
import { describeEventActivity } from './activity-log';
import {
	ACTIVITY_SENTENCES,
	isActivityAction,
	type ActivityAction,
	type SentenceParams
} from './activity-sentences';
import { inLocale } from './mail-locale';
import { useTestDb } from '../../../../tests/fixtures/db';

useTestDb();

// Every activity code the app writes reads as a sentence in English and Catalan. The type of
// `logActivity` refuses a code without one at compile time; this reads the sources as well, so a
// code that slips past the type (a cast, a string built elsewhere) fails here.

const SERVER = path.resolve(import.meta.dirname, '..');

function sources(dir: string): string[] {
	return readdirSync(dir).flatMap((name) => {
		const file = path.join(dir, name);
		if (statSync(file).isDirectory()) return sources(file);
		return file.endsWith('.ts') && !file.endsWith('.spec.ts') ? [file] : [];
	});
}

const PERMISSIONS = new Set(Object.keys(EVENT_PERMISSIONS));
// Stripe's event types (`charge.refunded`) are read by the payment modules, never written.
const STRIPE_EVENT = /^(charge|checkout|payment_intent|refund|customer|invoice)\./;

/** Dotted string literals in a module that writes the activity log, other than permissions. */
export function writtenCodes(source: string): string[] {
	if (!/logActivity|ActivityAction|ActivityCodesUnder/.test(source)) return [];
	const found = [...source.matchAll(/'([a-z][a-z_]*\.[a-z][a-z_]*)'/g)].map((x) => x[1]);
	return [...new Set(found)].filter((code) => !PERMISSIONS.has(code) && !STRIPE_EVENT.test(code));
}

const missing = (codes: string[]) => codes.filter((code) => !isActivityAction(code));

const params = (): SentenceParams => ({
	who: 'Ana',
	talk: 'Talk T',
	proposal: 'Proposal P',
	source: 'Source S',
	target: 'Target T',
	session: 'Session S',
	round: 'Round R',
	holder: 'Holder H',
	person: 'Person P',
	block: 'Block B',
	type: 'Type T',
	item: 'Item I',
	decision: 'Decision D',
	role: 'Role R',
	rule: 'Rule R',
	licence: 'CC-BY-4.0',
	name: 'Name N',
	title: 'Title T',
	email: 'e@example.org',
	date: '2030-07-10',
	from: 'from-slug',
	issuer: 'Issuer I',
	subject: 'Subject S',
	count: 7
});

describe('activity sentences', () => {
	it('every code the server writes as a string has a sentence', () => {
		const written = sources(SERVER).flatMap((file) => writtenCodes(readFileSync(file, 'utf8')));
		// The scan sees the modules that write the log (a few dozen codes at least).
		expect(written.length).toBeGreaterThan(60);
		expect(missing(written)).toEqual([]);
	});

	it('the scan catches a code without a sentence (negative control)', () => {
		const source = `await logActivity(tx, { action: 'room.painted' }); requireEventPermission(a, 1, 'team.manage');`;
		expect(writtenCodes(source)).toEqual(['room.painted']);
		expect(missing(writtenCodes(source))).toEqual(['room.painted']);
	});

	it('codes built from a word have a sentence for every word', () => {
		const built = [
			...STAGE_ACTIONS.map((a) => `stage.${a}`),
			...ROUND_PHASES.map((p) => `round.${p}`),
			...EVENT_STATUSES.map((s) => `event.${s}`),
			...HARVEST_FIELDS.map((f) => `harvest.${f}`),
			...['expired', 'cancelled'].map((to) => `order.${to}`)
		];
		expect(missing(built)).toEqual([]);
	});

	it('every sentence reads in English and in Catalan, its parameters filled in', async () => {
		const p = params();
		for (const code of Object.keys(ACTIVITY_SENTENCES) as ActivityAction[]) {
			const say = ACTIVITY_SENTENCES[code].say;
			const en = await inLocale('en', () => say(p));
			const ca = await inLocale('ca', () => say(p));
			for (const [locale, sentence] of [
				['en', en],
				['ca', ca]
			]) {
				expect(sentence, `${code} in ${locale}`).not.toMatch(/[{}]/);
				expect(sentence, `${code} in ${locale}`).not.toContain(code);
				expect(sentence.length, `${code} in ${locale}`).toBeGreaterThan(10);
			}
			expect(ca, code).not.toBe(en);
			// The same things are named in both languages.
			const named = Object.values(p).map(String);
			expect(
				named.filter((x) => ca.includes(x)),
				code
			).toEqual(named.filter((x) => en.includes(x)));
		}
	});
});

describe('the activity log', () => {
	it('reads as sentences naming things by their titles, leading to their pages', async () => {
		const { event, organiser, attendees, session, round } = await harvestSessions();
		await addHarvestItem(attendees[0], event.id, session.id, {
			kind: 'insight',
			text: 'Bring tools',
			owner: null,
			dueOn: null,
			url: null
		});
		const [writer] = await db()
			.select({ name: schema.users.name })
			.from(schema.users)
			.where(eq(schema.users.id, attendees[0].id));
		const [title] = await db()
			.select({ title: schema.proposals.title })
			.from(schema.proposals)
			.where(eq(schema.proposals.id, session.proposalId));

		const log = await describeEventActivity(organiser, event);
		const added = log.find((e) => e.action === 'harvest.item_added');
		expect(added?.sentence).toBe(
			`${writer.name} added an insight to the harvest of “${title.title}”`
		);
		expect(added?.href).toBe(`/e/${event.slug}/sessions/${session.id}/harvest`);
		const generated = log.find((e) => e.action === 'agenda.generated');
		expect(generated?.sentence).toBe(`Organiser drew up the agenda of “${round.title}”`);
		expect(generated?.href).toBe(`/manage/${event.slug}/marketplace/${round.id}/agenda`);
		// No entry shows its code or its raw data.
		for (const entry of log) expect(entry.sentence).not.toMatch(/[a-z]+\.[a-z_]+|Id:/);

		// In the organiser's Catalan.
		const ca = await inLocale('ca', () => describeEventActivity(organiser, event));
		expect(ca.find((e) => e.action === 'harvest.item_added')?.sentence).toBe(
			`${writer.name} ha afegit una idea clau a la collita de «${title.title}»`
		);
	});

	it('names nothing of another event, even when an entry points at it', async () => {
		const other = await harvestSessions();
		const { event, organiser } = await makeEvent({ name: 'Elsewhere' });
		await logActivity(db(), {
			eventId: event.id,
			actorId: organiser.id,
			action: 'proposal.edited',
			data: { proposalId: other.session.proposalId }
		});
		const [entry] = (await describeEventActivity(organiser, event)).filter(
			(e) => e.action === 'proposal.edited'
		);
		expect(entry.sentence).toBe(`Organiser edited the proposal “${m.act_gone()}”`);
		expect(entry.href).toBeNull();
	});
});
