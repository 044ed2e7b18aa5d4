// The step that takes a hand edit back, as the form it would post: a move goes back to the slot
// it left, a swap swaps again, a pin flips back, a placed proposal comes off and a session taken
// off goes back where it was. The board offers it as "Undo" after the edit's answer.

export type AgendaUndo =
	| { action: 'move'; sessionId: number; slot: string }
	| { action: 'swap'; sessionId: number; other: number }
	| { action: 'pin'; sessionId: number; pinned: boolean }
	| { action: 'place'; proposalId: number; slot: string }
	| { action: 'unschedule'; sessionId: number };

/** The hidden fields of the form that posts `undo`. */
export function undoFields(undo: AgendaUndo): [string, string][] {
	return Object.entries(undo)
		.filter(([name]) => name !== 'action')
		.map(([name, value]) => [name, String(value)]);
}
