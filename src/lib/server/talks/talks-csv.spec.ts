import { describe, expect, it } from 'vitest';
import { HOSTILE, defused, readCsv } from '../../../../tests/fixtures/csv';
import { useTestDb } from '../../../../tests/fixtures/db';
import { domainError } from '../../../../tests/fixtures/domain-error';
import { actorOf, makeTalk, makeTalkEvent, makeUser } from '../../../../tests/fixtures/factories';
import { decideTalk, reviewTalk, sendDecisions } from './review';
import { talksCsv } from './talks-csv';

useTestDb();

describe('talks export', () => {
	it('round-trips every talk with its reviews, decision and whether it went out', async () => {
		const { event, organiser } = await makeTalkEvent();
		const made: Awaited<ReturnType<typeof makeTalk>>[] = [];
		for (const title of HOSTILE) {
			made.push(await makeTalk(event.id, { title, presenters: `${title} & co` }));
		}
		await reviewTalk(organiser, event.id, made[0].talk.id, { score: 4, note: HOSTILE[2] });
		await decideTalk(organiser, event.id, made[0].talk.id, 'accepted');
		await decideTalk(organiser, event.id, made[1].talk.id, 'declined');
		await sendDecisions(organiser, event.id, 'http://t');
		await decideTalk(organiser, event.id, made[3].talk.id, 'reserve');

		const rows = readCsv(await talksCsv(organiser, event.id));
		expect(rows.map((r) => r.title).sort()).toEqual(HOSTILE.map(defused).sort());
		const row = (i: number) => rows.find((r) => r.talk === String(made[i].talk.id))!;
		expect(row(0).presenters).toBe(`${HOSTILE[0]} & co`);
		expect([row(0).status, row(0)['decision sent']]).toEqual(['accepted', 'accepted']);
		expect([row(1).status, row(1)['decision sent']]).toEqual(['declined', 'declined']);
		// Decided but not sent yet.
		expect([row(3).status, row(3)['decision sent']]).toEqual(['reserve', '']);
		expect([row(0).reviews, row(0)['average score']]).toEqual(['1', '4.00']);
		expect(row(0)['review notes']).toBe(`Organiser: 4 — ${HOSTILE[2]}`);
		expect(row(5).reviews).toBe('0');
	});

	it('is for reviewers only', async () => {
		const { event } = await makeTalkEvent();
		const stranger = actorOf(await makeUser());
		expect((await domainError(() => talksCsv(stranger, event.id))).kind).toBe('forbidden');
	});
});
