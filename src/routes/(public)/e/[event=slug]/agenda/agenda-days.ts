import type { MarkedSession } from '$lib/server/agenda/attendance';
import { instantToZoned } from '$lib/time';

const card = (x: MarkedSession) => ({
	id: x.id,
	proposalId: x.proposalId,
	title: x.title,
	question: x.question,
	room: x.room,
	conveners: x.conveners.map((c) => c.name),
	expected: x.expected,
	going: x.going,
	here: x.here,
	mineGoing: x.mineGoing,
	mineHere: x.mineHere,
	clashes: x.clashes
});

type Day = {
	date: string;
	blocks: { block: MarkedSession['block']; sessions: ReturnType<typeof card>[] }[];
};

/** Day → block → session cards, in the order the sessions come (block start, then room). */
export function agendaDays(sessions: MarkedSession[], timeZone: string): Day[] {
	const days: Day[] = [];
	for (const x of sessions) {
		const date = instantToZoned(x.block.startsAt, timeZone).date;
		let day = days.at(-1);
		if (day?.date !== date) days.push((day = { date, blocks: [] }));
		let block = day.blocks.at(-1);
		if (block?.block.id !== x.block.id) day.blocks.push((block = { block: x.block, sessions: [] }));
		block.sessions.push(card(x));
	}
	return days;
}
