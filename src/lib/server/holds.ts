import { and, eq, lte } from 'drizzle-orm';
import { db, schema } from './db';
import { releaseHold } from './orders';
import { live } from './realtime';
import { stripe } from './payments/stripe';
import { refundOrder, settleSession } from './payments/webhook';
import { expireOffers } from './waitlist';

/**
 * Tidy what time has run out on: holds whose checkout never reached Stripe or whose expiry event
 * never arrived, refunds that failed, waiting-list offers nobody answered. Every step moves an
 * order only from the state it expects, so several app instances may sweep at once.
 */
export async function sweep(now = new Date()): Promise<void> {
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
	// Screens more than a day behind reload instead of catching up.
	await live().prune(new Date(now.getTime() - 86_400_000));
}

let timer: ReturnType<typeof setInterval> | undefined;

export function startSweeper(everyMs = 60_000): void {
	timer ??= setInterval(() => {
		sweep().catch((e) => console.error('[holds] sweep failed', e));
	}, everyMs);
	timer.unref();
}

export function stopSweeper(): void {
	if (timer) clearInterval(timer);
	timer = undefined;
}
