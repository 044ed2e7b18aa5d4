import Stripe from 'stripe';

// The Stripe client, configured from the environment. STRIPE_API_URL points the SDK at another
// host (the tests' fake Stripe); without STRIPE_SECRET_KEY paid tickets are simply unavailable.

let client: Stripe | undefined;
let clientKey: string | undefined;

export function stripeEnabled(): boolean {
	return !!process.env.STRIPE_SECRET_KEY;
}

export function stripe(): Stripe {
	const key = process.env.STRIPE_SECRET_KEY;
	if (!key) throw new Error('STRIPE_SECRET_KEY is not set');
	if (!client || clientKey !== key) {
		const api = process.env.STRIPE_API_URL ? new URL(process.env.STRIPE_API_URL) : undefined;
		client = new Stripe(key, {
			maxNetworkRetries: 2,
			timeout: 20_000,
			telemetry: false,
			...(api && {
				host: api.hostname,
				port: api.port,
				protocol: api.protocol.replace(':', '') as 'http' | 'https'
			})
		});
		clientKey = key;
	}
	return client;
}

export function webhookSecret(): string {
	const secret = process.env.STRIPE_WEBHOOK_SECRET;
	if (!secret) throw new Error('STRIPE_WEBHOOK_SECRET is not set');
	return secret;
}

export type CheckoutSession = Stripe.Checkout.Session;
export type StripeEvent = Stripe.Event;
