import { and, eq, lte } from 'drizzle-orm';
import { db, schema } from '../db';
import { releaseHold } from '../tickets/orders';
import { live } from '../live/hub';
import { stripe } from '../tickets/payments/stripe';
import { refundOrder, settleSession } from '../tickets/payments/webhook';
import { closeDuePhases } from '../marketplace/rounds';
import { expireOffers } from '../tickets/waitlist';
import { dropLapsedRequests } from '../tickets/order-requests';

/**
 * Tidy what time has run out on: holds whose checkout never reached Stripe or whose expiry event
 * never arrived, refunds that failed, waiting-list offers nobody answered, marketplace phases
 * whose countdown ended, orders nobody confirmed by mail. Every step moves a row only from the state it expects, so several app
 * instances may sweep at once.
 */
export async function sweep(now = new Date()): Promise<void> {
	// First, and on its own: a payment step that fails must not keep a phase open.
	await closeDuePhases(now).catch((e) => console.error('[rounds] closing due phases failed', e));
	const o = schema.orders;
	const due = await db()
		.select()
		.from(o)
		.where(and(eq(o.status, 'held'), eq(o.holdsSeat, true), lte(o.holdExpiresAt, now)));
	for (const order of due) {
		if (!order.stripeSessionId) {
			await releaseHold(order.id, 'expired');
			continue;
		}
		try {
			let session = await stripe().checkout.sessions.retrieve(order.stripeSessionId);
			if (session.status === 'open') session = await stripe().checkout.sessions.expire(session.id);
			await settleSession(session, null, 'sweep');
			if (session.payment_status !== 'paid') await releaseHold(order.id, 'expired');
		} catch (e) {
			console.error(`[holds] could not settle order ${order.id}`, e);
		}
	}
	const pending = await db().select({ id: o.id }).from(o).where(eq(o.status, 'refund_pending'));
	for (const { id } of pending) await refundOrder(id);
	await expireOffers(now);
	await dropLapsedRequests(now);
	// Screens more than a day behind reload instead of catching up.
	await live().prune(new Date(now.getTime() - 86_400_000));
}

let timer: ReturnType<typeof setInterval> | undefined;
let phaseTimer: ReturnType<typeof setInterval> | undefined;

export function startSweeper(everyMs = 60_000, phasesEveryMs = 2_000): void {
	timer ??= setInterval(() => {
		sweep().catch((e) => console.error('[holds] sweep failed', e));
	}, everyMs);
	timer.unref();
	// A room watching a countdown expects the phase to move on when it reaches zero, not up to
	// a minute later; the check is three guarded UPDATEs that usually match nothing.
	phaseTimer ??= setInterval(() => {
		closeDuePhases().catch((e) => console.error('[rounds] closing due phases failed', e));
	}, phasesEveryMs);
	phaseTimer.unref();
}

export function stopSweeper(): void {
	if (timer) clearInterval(timer);
	if (phaseTimer) clearInterval(phaseTimer);
	timer = phaseTimer = undefined;
}
