import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import {
	addRoom,
	adminContext,
	createEvent,
	expectFieldError,
	expectNoAxeViolations,
	open,
	summerEvent,
	uniqueSlug
} from './helpers';

// Moving an event: the organiser downloads it from the overview and imports it again under
// another web address; a file that is not an event export is refused next to the file field.

test('an organiser exports an event and imports it under a new address; a bad file is refused', async ({
	browser,
	baseURL
}, testInfo) => {
	const context = await adminContext(browser, baseURL);
	const page = await context.newPage();
	const event = summerEvent({ slug: uniqueSlug('moving') });
	await createEvent(page, event);
	await addRoom(page, event.slug, { name: 'Garden Room', seats: '35' });

	await open(page, `/manage/${event.slug}`);
	const download = page.waitForEvent('download');
	await page.getByRole('link', { name: 'Export this event' }).click();
	const exported = await (await download).path();
	const document = JSON.parse(await readFile(exported, 'utf8'));
	expect(document.format).toBe('commonspace-event/1');
	expect(document.rooms).toEqual([expect.objectContaining({ name: 'Garden Room', capacity: 35 })]);

	await open(page, '/manage');
	await page.getByRole('link', { name: 'Import an event' }).click();
	await expect(page.getByRole('heading', { level: 1, name: 'Import an event' })).toBeVisible();
	await expectNoAxeViolations(page);

	const file = page.getByLabel('Event file (.json)');
	const slug = page.getByLabel('Web address (optional)');
	const bad = testInfo.outputPath('not-an-event.json');
	await writeFile(bad, JSON.stringify({ format: 'something-else' }));
	await file.setInputFiles(bad);
	await slug.fill(`${event.slug}-copy`);
	await page.getByRole('button', { name: 'Import' }).click();
	await expectFieldError(
		file,
		'The file is not a Commonspace event export (format commonspace-event/1).'
	);
	await expect(slug).toHaveValue(`${event.slug}-copy`);

	// The real file, first under its own (taken) address, then under a new one.
	await file.setInputFiles(exported);
	await slug.fill('');
	await page.getByRole('button', { name: 'Import' }).click();
	await expectFieldError(slug, 'Another event uses this web address already.');
	await file.setInputFiles(exported);
	await slug.fill(`${event.slug}-copy`);
	await page.getByRole('button', { name: 'Import' }).click();
	await expect(page).toHaveURL(`/manage/${event.slug}-copy`);
	await open(page, `/manage/${event.slug}-copy/rooms`);
	await expect(page.getByRole('heading', { level: 2, name: 'Garden Room' })).toBeVisible();
	await page.screenshot({ path: path.join(testInfo.outputDir, 'imported-rooms.png') });
	await context.close();
});
