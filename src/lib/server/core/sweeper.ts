import { and, eq, lte } from 'drizzle-orm';
import { db, schema } from '../db';
import { releaseHold } from '../tickets/orders';
import { live } from '../live/hub';
import { stripe } from '../tickets/payments/stripe';
import { refundOrder, settleSession } from '../tickets/payments/webhook';
import { closeDuePhases } from '../marketplace/rounds';
import { expireOffers } from '../tickets/waitlist';
import { dropLapsedRequests } from '../tickets/order-requests';
import { retryMail } from './mail';
import { forgetOldActions } from './once';
import { log, withRequestId } from './log';
import { randomUUID } from 'node:crypto';

/**
 * Tidy what time has run out on: holds whose checkout never reached Stripe or whose expiry event
 * never arrived, refunds that failed, waiting-list offers nobody answered, marketplace phases
 * whose countdown ended, orders nobody confirmed by mail. Every step moves a row only from the state it expects, so several app
 * instances may sweep at once.
 */
export async function sweep(now = new Date()): Promise<void> {
	// First, and on its own: a payment step that fails must not keep a phase open.
	const phases = await closePhases(now);
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
			log.error({ err: e, orderId: order.id }, 'sweep could not settle a lapsed hold');
		}
	}
	const pending = await db().select({ id: o.id }).from(o).where(eq(o.status, 'refund_pending'));
	let refunded = 0;
	for (const { id } of pending) if (await refundOrder(id)) refunded++;
	const offersExpired = await expireOffers(now);
	const requestsDropped = await dropLapsedRequests(now);
	const mailRetried = await retryMail(now).catch((e) => {
		log.error({ err: e }, 'sweep could not retry mail');
		return 0;
	});
	// Screens more than a day behind reload instead of catching up.
	await live().prune(new Date(now.getTime() - 86_400_000));
	const actionsForgotten = await forgetOldActions(now);
	const work = {
		phases,
		holdsDue: due.length,
		refundsPending: pending.length,
		refunded,
		offersExpired,
		requestsDropped,
		mailRetried,
		actionsForgotten
	};
	if (Object.values(work).some((n) => n > 0)) log.info(work, 'sweep');
	else log.debug(work, 'sweep');
}

/** Move timed phases on; a failure is logged, never thrown, so the rest of a sweep still runs. */
async function closePhases(now?: Date): Promise<number> {
	try {
		const moved = await closeDuePhases(now);
		if (moved.length) log.info({ rounds: moved.map((r) => r.id) }, 'timed phases moved on');
		return moved.length;
	} catch (e) {
		log.error({ err: e }, 'closing due phases failed');
		return 0;
	}
}

/** Each run has an id of its own on its log lines, as a request does. */
const run = (work: () => Promise<unknown>, failed: string) =>
	withRequestId(`sweep-${randomUUID()}`, () => work().catch((e) => log.error({ err: e }, failed)));

let timer: ReturnType<typeof setInterval> | undefined;
let phaseTimer: ReturnType<typeof setInterval> | undefined;

export function startSweeper(everyMs = 60_000, phasesEveryMs = 2_000): void {
	timer ??= setInterval(() => void run(() => sweep(), 'sweep failed'), everyMs);
	timer.unref();
	// A room watching a countdown expects the phase to move on when it reaches zero, not up to
	// a minute later; the check is three guarded UPDATEs that usually match nothing.
	phaseTimer ??= setInterval(
		() => void run(() => closePhases(), 'closing due phases failed'),
		phasesEveryMs
	);
	phaseTimer.unref();
}

export function stopSweeper(): void {
	if (timer) clearInterval(timer);
	if (phaseTimer) clearInterval(phaseTimer);
	timer = phaseTimer = undefined;
}
