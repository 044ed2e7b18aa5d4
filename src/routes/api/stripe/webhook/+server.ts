import { text } from '@sveltejs/kit';
import {
	BadSignature,
	handleStripeEvent,
	verifyWebhook
} from '$lib/server/tickets/payments/webhook';
import type { RequestHandler } from './$types';

// Stripe's webhook: the signature is checked on the raw body before anything is parsed.
export const POST: RequestHandler = async ({ request }) => {
	const body = await request.text();
	let event;
	try {
		event = verifyWebhook(body, request.headers.get('stripe-signature'));
	} catch (e) {
		if (e instanceof BadSignature) return text('invalid signature', { status: 400 });
		throw e;
	}
	const outcome = await handleStripeEvent(event);
	return text(outcome, { status: 200 });
};
