import * as v from 'valibot';
import { m } from '$lib/paraglide/messages';
import { id } from './fields';

// Forms of the facilitator's agenda editor. A slot travels as "<blockId>-<roomId>".

const slot = v.pipe(
	v.string(() => m.error_required()),
	v.regex(/^\d{1,9}-\d{1,9}$/, () => m.error_required()),
	v.transform((s) => {
		const [blockId, roomId] = s.split('-').map(Number);
		return { blockId, roomId };
	})
);

/** Checked boxes: none, one (a string) or several (an array). */
export const roundBlocksSchema = v.object({
	blockIds: v.pipe(
		v.optional(v.union([v.string(), v.array(v.string())]), []),
		v.transform((x) => (Array.isArray(x) ? x : [x])),
		v.check(
			(ids) => ids.every((x) => /^\d{1,9}$/.test(x)),
			() => m.error_required()
		),
		v.transform((ids) => ids.map(Number))
	)
});

export const moveSchema = v.object({ sessionId: id, slot });
export const placeSchema = v.object({ proposalId: id, slot });
export const swapSchema = v.object({ sessionId: id, other: id });
export const sessionSchema = v.object({ sessionId: id });
export const pinSchema = v.object({
	sessionId: id,
	pinned: v.pipe(
		v.picklist(['true', 'false'], () => m.error_required()),
		v.transform((x) => x === 'true')
	)
});
