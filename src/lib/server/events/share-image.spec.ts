import { describe, expect, it } from 'vitest';
import { useTestDb } from '../../../../tests/fixtures/db';
import { makeEvent } from '../../../../tests/fixtures/factories';
import { GET } from '../../../routes/(public)/e/[event=slug]/og.png/+server';
import { setEventStatus } from './events';
import {
	SHARE_HEIGHT,
	SHARE_WIDTH,
	shareImageKey,
	shareImagePng,
	shareImageSvg
} from './share-image';

useTestDb();

/** Width and height from a PNG's header (the IHDR chunk follows the 8-byte signature). */
function pngSize(png: Uint8Array) {
	const signature = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
	expect([...png.subarray(0, 8)]).toEqual(signature);
	expect(Buffer.from(png.subarray(12, 16)).toString('ascii')).toBe('IHDR');
	const view = new DataView(png.buffer, png.byteOffset, png.byteLength);
	return { width: view.getUint32(16), height: view.getUint32(20) };
}

const event = {
	id: 1,
	name: 'Commons Gathering: «cooperatives» & <open> data, l·l and ç',
	venue: 'Can Batlló',
	address: 'Carrer de la Constitució 19, Barcelona',
	startDate: '2027-03-27',
	endDate: '2027-03-28'
};

describe('share image', () => {
	it('is a 1200×630 PNG showing the name, dates and place', () => {
		const png = shareImagePng(event, 'ca');
		expect(pngSize(png)).toEqual({ width: SHARE_WIDTH, height: SHARE_HEIGHT });
		const svg = shareImageSvg(event, 'ca');
		expect(svg).toContain('&lt;open&gt;');
		expect(svg).toContain('Can Batlló');
		expect(svg).toMatch(/27 de març/);
		// Text is drawn, not just a blank card: an image with the name differs from one without.
		const blank = shareImagePng({ ...event, name: 'X', venue: '', address: '' }, 'ca');
		expect(Buffer.compare(png, blank)).not.toBe(0);
	});

	it('is kept until the event changes, then drawn again', () => {
		const first = shareImagePng({ ...event, id: 2 }, 'en');
		expect(shareImagePng({ ...event, id: 2 }, 'en')).toBe(first);
		const renamed = { ...event, id: 2, name: 'Another name' };
		expect(shareImageKey(renamed, 'en')).not.toBe(shareImageKey({ ...event, id: 2 }, 'en'));
		expect(shareImagePng(renamed, 'en')).not.toBe(first);
	});

	it('is served for a published event as image/png; not for a draft', async () => {
		const { event: made, organiser } = await makeEvent({ name: 'Share me' });
		const get = () =>
			GET({
				params: { event: made.slug },
				url: new URL(`https://gathering.example/e/${made.slug}/og.png?lang=ca`),
				locals: { user: null }
			} as unknown as Parameters<typeof GET>[0]);
		await expect(get()).rejects.toMatchObject({ status: 404 });
		await setEventStatus(organiser, made.id, 'published');
		const res = await get();
		expect(res.headers.get('content-type')).toBe('image/png');
		const png = new Uint8Array(await res.arrayBuffer());
		expect(pngSize(png)).toEqual({ width: 1200, height: 630 });
	});
});
