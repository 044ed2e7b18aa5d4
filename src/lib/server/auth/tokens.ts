import { createHash, getRandomValues, timingSafeEqual } from 'node:crypto';

// Lower-case letters and digits without the look-alikes (l, o, 0, 1): 32 symbols, 5 bits each.
const ALPHABET = 'abcdefghijkmnpqrstuvwxyz23456789';

/** A random string of `length` symbols from a CSPRNG: 5 bits of entropy per symbol. */
export function randomString(length: number): string {
	const bytes = getRandomValues(new Uint8Array(length));
	let out = '';
	for (const b of bytes) out += ALPHABET[b >> 3];
	return out;
}

export function sha256(value: string): string {
	return createHash('sha256').update(value).digest('hex');
}

export function constantTimeEqual(a: string, b: string): boolean {
	const x = Buffer.from(a);
	const y = Buffer.from(b);
	return x.length === y.length && timingSafeEqual(x, y);
}
