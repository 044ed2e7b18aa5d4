import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { chromium, expect, test, type Page } from '@playwright/test';
import QRCode from 'qrcode';
import {
	ADMIN_STATE,
	adminContext,
	createTicketedEvent,
	expectNoAxeViolations,
	expectTicket,
	newPerson,
	open,
	SCREENSHOTS,
	summerEvent,
	ticketHolder,
	uniqueSlug
} from './helpers';

// The door on a phone: the camera reads a ticket's QR through the ZXing WebAssembly reader (no
// browser barcode API needed), the check-in shows the name, the ticket type and a green result,
// scanning goes on for the next person, and every door phone's counts follow, undo included.
// The camera is Chromium's fake capture device playing a video of the ticket's QR code.

test.describe.configure({ mode: 'serial' });

const ARTIFACTS = path.join(import.meta.dirname, '..', 'artifacts');

/** A few seconds of video (Y4M, 4:2:0) showing `text` as a QR code, black on white. */
function qrVideo(text: string, file: string) {
	const qr = QRCode.create(text, { errorCorrectionLevel: 'M' });
	const n = qr.modules.size;
	const [width, height] = [640, 480];
	const scale = Math.floor((height - 80) / n);
	const left = Math.floor((width - n * scale) / 2);
	const top = Math.floor((height - n * scale) / 2);
	const luma = Buffer.alloc(width * height, 235);
	for (let y = 0; y < n * scale; y++) {
		for (let x = 0; x < n * scale; x++) {
			if (qr.modules.get(Math.floor(y / scale), Math.floor(x / scale))) {
				luma[(top + y) * width + left + x] = 16;
			}
		}
	}
	const chroma = Buffer.alloc((width / 2) * (height / 2), 128);
	const frame = Buffer.concat([Buffer.from('FRAME\n'), luma, chroma, chroma]);
	const header = Buffer.from(`YUV4MPEG2 W${width} H${height} F10:1 Ip A1:1 C420jpeg\n`);
	mkdirSync(path.dirname(file), { recursive: true });
	writeFileSync(file, Buffer.concat([header, ...Array(20).fill(frame)]));
}

test('a phone camera checks a ticket in through the WebAssembly reader; every door follows', async ({
	browser,
	baseURL
}) => {
	const event = summerEvent({ slug: uniqueSlug('door') });
	const organiser = await adminContext(browser, baseURL);
	const setup = await organiser.newPage();
	await createTicketedEvent(setup, event, [{ name: 'Solidarity', pricing: 'Free' }]);
	const person = newPerson('Dee Door');
	const holder = await ticketHolder(browser, baseURL, event.slug, person);
	const code = await expectTicket(holder.page, event.slug, person.name);
	await holder.context.close();

	// The second door phone, already open on the check-in page.
	const checkin = `/manage/${event.slug}/checkin`;
	const other = await organiser.newPage();
	await open(other, checkin);
	await expect(other.locator('.counts')).toHaveText(/^0 \/ 1/);

	// The first door phone's camera films the ticket's QR code (the check-in URL it carries).
	const video = path.join(ARTIFACTS, `door-${event.slug}.y4m`);
	qrVideo(`${baseURL}${checkin}?code=${code}`, video);
	const camera = await chromium.launch({
		...test.info().project.use.launchOptions,
		args: [
			...(test.info().project.use.launchOptions?.args ?? []),
			'--use-fake-device-for-media-stream',
			'--use-fake-ui-for-media-stream',
			`--use-file-for-fake-video-capture=${video}`
		]
	});
	const phone = await camera.newContext({
		baseURL,
		storageState: ADMIN_STATE,
		viewport: { width: 390, height: 844 },
		permissions: ['camera']
	});
	const door: Page = await phone.newPage();
	const fetched: string[] = [];
	door.on('request', (r) => fetched.push(r.url()));
	await open(door, checkin);

	// On a phone the code can be typed without scrolling, and nothing runs off the side.
	const field = door.getByRole('textbox', { name: 'Ticket code' });
	const box = (await field.boundingBox())!;
	expect(box.y + box.height, 'the code field is above the fold').toBeLessThanOrEqual(844);
	expect(await door.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
	await expectNoAxeViolations(door);

	await door.getByRole('button', { name: 'Scan with camera' }).click();
	const outcome = door
		.getByRole('region', { name: 'Scan or type a ticket code' })
		.getByRole('status');
	await expect(outcome).toContainText(`Checked in: ${person.name}`, { timeout: 20_000 });
	await expect(outcome).toContainText('Ticket: Solidarity');
	await expect(door.locator('.counts')).toHaveText(/^1 \/ 1/);
	// The reader came from this site: its WebAssembly, and nothing from anywhere else.
	expect(fetched.filter((u) => u.endsWith('.wasm'))).toEqual([
		expect.stringMatching(new RegExp(`^${baseURL}/`))
	]);
	expect(fetched.filter((u) => /^https?:/.test(u) && !u.startsWith(baseURL!))).toEqual([]);
	// The camera keeps scanning for the next person; the same ticket held up is not sent again.
	await expect(door.getByRole('button', { name: 'Stop the camera' })).toBeVisible();
	await expect(door.locator('video')).toBeVisible();
	await door.screenshot({ path: path.join(SCREENSHOTS, 'door-scan-phone.png') });

	// The other phone's counts follow without a reload.
	await expect(other.locator('.counts')).toHaveText(/^1 \/ 1/);

	// Undo: both phones count the person out again.
	await door.getByRole('button', { name: 'Stop the camera' }).click();
	await outcome.getByRole('button', { name: /^Undo check-in/ }).click();
	await expect(outcome).toHaveText(`Check-in undone: ${person.name}.`);
	await expect(door.locator('.counts')).toHaveText(/^0 \/ 1/);
	await expect(other.locator('.counts')).toHaveText(/^0 \/ 1/);
	await expectNoAxeViolations(door);

	await phone.close();
	await camera.close();
	await organiser.close();
});
