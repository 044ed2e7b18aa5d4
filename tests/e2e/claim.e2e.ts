import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import {
	adminContext,
	ANONYMOUS,
	createEvent,
	expectNoAxeViolations,
	newestOutboxLink,
	newPerson,
	open,
	signUp,
	summerEvent,
	uniqueSlug
} from './helpers';

// Claiming an imported participant: an event file names someone who wrote a directory entry;
// after the import the organiser mails them a claim link from the team page, and they sign up,
// see what comes to their account and accept it.

test('an imported participant claims their contributions through a mailed link', async ({
	browser,
	baseURL
}, testInfo) => {
	const admin = await adminContext(browser, baseURL);
	const page = await admin.newPage();
	const event = summerEvent({ slug: uniqueSlug('claimable') });
	await createEvent(page, event);
	await open(page, `/manage/${event.slug}`);
	const download = page.waitForEvent('download');
	await page.getByRole('link', { name: 'Export this event' }).click();
	const document = JSON.parse(await readFile(await (await download).path(), 'utf8'));
	const now = new Date().toISOString();
	document.people = [{ ref: 1, name: 'Ada Imported', email: 'ada@old-instance.example' }];
	document.directoryEntries = [
		{
			userId: 1,
			organisation: 'Old Co-op',
			offers: 'Servers',
			seeks: '',
			contact: '',
			createdAt: now,
			updatedAt: now
		}
	];
	const file = testInfo.outputPath('with-a-person.json');
	await writeFile(file, JSON.stringify(document));
	const copy = `${event.slug}-moved`;
	await open(page, '/manage/import');
	await page.getByLabel('Event file (.json)').setInputFiles(file);
	await page.getByLabel('Web address (optional)').fill(copy);
	await page.getByRole('button', { name: 'Import' }).click();
	await expect(page).toHaveURL(`/manage/${copy}`);

	// The organiser sends Ada a claim link from the team page.
	const person = newPerson('Ada Real');
	await open(page, `/manage/${copy}/team`);
	const section = page.getByRole('region', { name: 'Imported participants' });
	await expect(section.getByRole('heading', { level: 3, name: 'Ada Imported' })).toBeVisible();
	await section.getByLabel('E-mail address for Ada Imported').fill(person.email);
	await section.getByRole('button', { name: /^Send claim link\s?: Ada Imported$/ }).click();
	await expect(section.getByRole('status')).toHaveText(`Claim link sent to ${person.email}.`);
	await expect(section).toContainText(`Link sent to ${person.email}`);
	await expectNoAxeViolations(page);
	const link = await newestOutboxLink(browser, baseURL, person.email, /Claim your contributions/);

	// Ada opens it, creates an account, sees what will come to it and accepts.
	const own = await browser.newContext({ baseURL, storageState: ANONYMOUS });
	const mine = await own.newPage();
	await open(mine, new URL(link).pathname);
	await expect(
		mine.getByRole('heading', { level: 1, name: 'Claim your contributions' })
	).toBeVisible();
	await expect(mine.getByText('Sign in, or create an account')).toBeVisible();
	await expect(mine.getByText('Directory entries: 1')).toHaveCount(0);
	await signUp(mine, person);
	await open(mine, new URL(link).pathname);
	await expect(mine.getByText('Directory entries: 1')).toBeVisible();
	await expectNoAxeViolations(mine);
	await mine.screenshot({ path: path.join(testInfo.outputDir, 'claim.png'), fullPage: true });
	await mine.getByRole('button', { name: 'Accept and claim' }).click();
	await expect(mine.getByRole('status')).toHaveText(
		'The contributions of Ada Imported are now yours.'
	);
	await expectNoAxeViolations(mine);
	await own.close();

	// Claimed: no longer listed among the imported participants.
	await open(page, `/manage/${copy}/team`);
	await expect(page.getByRole('region', { name: 'Imported participants' })).toHaveCount(0);
	await admin.close();
});
