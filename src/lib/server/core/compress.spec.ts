import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { chooseEncoding, compressed } from './compress';

const page = '<!doctype html><p>' + 'Hello, open space. '.repeat(500) + '</p>';
const request = (accept?: string) =>
	new Request('http://t/', { headers: accept ? { 'accept-encoding': accept } : {} });
const html = () => new Response(page, { headers: { 'content-type': 'text/html; charset=utf-8' } });

describe('compressed pages', () => {
	it('sends HTML with brotli or gzip as the browser allows', async () => {
		const br = compressed(request('gzip, deflate, br'), html());
		expect(br.headers.get('content-encoding')).toBe('br');
		expect(br.headers.get('vary')).toMatch(/Accept-Encoding/);
		const brBytes = Buffer.from(await br.arrayBuffer());
		expect(brBytes.length).toBeLessThan(page.length / 10);
		expect(brotliDecompressSync(brBytes).toString()).toBe(page);
		const gz = compressed(request('gzip;q=1, br;q=0'), html());
		expect(gz.headers.get('content-encoding')).toBe('gzip');
		expect(gunzipSync(Buffer.from(await gz.arrayBuffer())).toString()).toBe(page);
	});

	it('leaves alone what must not be squeezed', async () => {
		// No Accept-Encoding: plain.
		const plain = compressed(request(), html());
		expect(plain.headers.get('content-encoding')).toBeNull();
		expect(await plain.text()).toBe(page);
		// The event stream, and downloads, pass through untouched.
		const stream = new Response('data: 1\n\n', {
			headers: { 'content-type': 'text/event-stream' }
		});
		expect(compressed(request('br'), stream)).toBe(stream);
		const csv = new Response('a,b', { headers: { 'content-type': 'text/csv' } });
		expect(compressed(request('gzip'), csv)).toBe(csv);
	});

	it('reads Accept-Encoding with its weights', () => {
		expect(chooseEncoding('identity')).toBeNull();
		expect(chooseEncoding('*')).toBe('br');
		expect(chooseEncoding('br;q=0, *;q=0.5')).toBe('gzip');
		expect(chooseEncoding(null)).toBeNull();
	});
});
