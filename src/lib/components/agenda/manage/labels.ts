import type { Conflict } from '$lib/agenda/conflicts';
import { m } from '$lib/paraglide/messages';
import { getLocale } from '$lib/paraglide/runtime';
import { formatTime, intlLocale } from '$lib/time';

// How blocks and slots read in the agenda editor, in the event's time zone.

export interface TimedBlock {
	id: number;
	title: string;
	startsAt: Date;
	endsAt: Date;
}

export interface GridRoom {
	id: number;
	name: string;
	capacity: number;
}

/** "Thu 24 Jun, 10:00–10:50". */
export function blockWhen(block: TimedBlock, timeZone: string): string {
	const day = new Intl.DateTimeFormat(intlLocale(getLocale()), {
		weekday: 'short',
		day: 'numeric',
		month: 'short',
		timeZone
	}).format(block.startsAt);
	const time = (d: Date) => formatTime(d, timeZone, getLocale());
	return `${day}, ${time(block.startsAt)}–${time(block.endsAt)}`;
}

export const slotValue = (blockId: number, roomId: number) => `${blockId}-${roomId}`;

export function slotLabel(block: TimedBlock, room: GridRoom, timeZone: string): string {
	return m.agenda_slot({
		block: `${block.title}, ${blockWhen(block, timeZone)}`,
		room: m.agenda_grid_room({ name: room.name, capacity: room.capacity })
	});
}

/** The slots of the grid without a session, as choices for a select. */
export function emptySlots(
	blocks: TimedBlock[],
	rooms: GridRoom[],
	sessions: { blockId: number; roomId: number }[],
	timeZone: string
): { value: string; label: string }[] {
	const taken = new Set(sessions.map((s) => slotValue(s.blockId, s.roomId)));
	return blocks.flatMap((b) =>
		rooms
			.filter((r) => !taken.has(slotValue(b.id, r.id)))
			.map((r) => ({ value: slotValue(b.id, r.id), label: slotLabel(b, r, timeZone) }))
	);
}

/** A conflict of the board, as the facilitator reads it. */
export function conflictText(conflict: Conflict): string {
	switch (conflict.kind) {
		case 'convener':
			return m.agenda_conflict_convener({ name: conflict.name, other: conflict.other });
		case 'capacity':
			return m.agenda_conflict_capacity({
				expected: conflict.expected,
				capacity: conflict.capacity
			});
		case 'block':
			return m.agenda_conflict_block();
	}
}
