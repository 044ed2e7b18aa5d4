import { expect, test } from '@playwright/test';
import {
	ADMIN_STATE,
	createEvent,
	expectFieldError,
	fillBlockForm,
	fillEventForm,
	summerEvent
} from './helpers';

// The forms are plain HTML forms that the server checks: without JavaScript they still work,
// say what is wrong next to each field, and keep what was typed.

test.use({ javaScriptEnabled: false, storageState: ADMIN_STATE });

test('creating an event works without JavaScript', async ({ page }) => {
	const event = summerEvent();
	await createEvent(page, event);
	await expect(page.locator('.event-title')).toContainText(event.name);
	await expect(page.locator('main section[aria-labelledby^="day-"]')).toHaveCount(2);
});

test('a bad event form shows each message next to its field and keeps what was typed', async ({
	page
}) => {
	const typed = summerEvent({
		name: '',
		description: 'Come along! <script>alert(1)</script>',
		startDate: '2030-07-10',
		endDate: '2030-07-08',
		timeZone: 'Mars/Olympus',
		capacity: '80'
	});
	await page.goto('/manage/new');
	await fillEventForm(page, typed);
	await page.getByRole('button', { name: 'Create event' }).click();
	await expect(page).toHaveURL('/manage/new');

	const name = page.getByLabel('Event name');
	const endDate = page.getByLabel('Last day');
	const timeZone = page.getByLabel('Time zone');
	const description = page.getByLabel('Short description');
	await expectFieldError(name, 'Please fill this in.');
	await expectFieldError(endDate, 'The last day cannot be before the first day.');
	await expectFieldError(
		timeZone,
		'Unknown time zone. Use a name like Europe/London or America/Mexico_City.'
	);
	// Fields without a problem are not marked.
	await expect(page.getByLabel('Web address')).not.toHaveAttribute('aria-invalid', 'true');
	await expect(page.getByLabel('First day')).not.toHaveAttribute('aria-invalid', 'true');

	const expectTypedValues = async (values: typeof typed) => {
		await expect(name).toHaveValue(values.name);
		await expect(page.getByLabel('Web address')).toHaveValue(values.slug);
		await expect(description).toHaveValue(values.description);
		await expect(page.getByLabel('Venue')).toHaveValue(values.venue);
		await expect(page.getByLabel('Address', { exact: true })).toHaveValue(values.address);
		await expect(page.getByLabel('First day')).toHaveValue(values.startDate);
		await expect(endDate).toHaveValue(values.endDate);
		await expect(timeZone).toHaveValue(values.timeZone);
		await expect(page.getByLabel('Attendance cap')).toHaveValue(values.capacity);
	};
	await expectTypedValues(typed);

	// The HTML in the description is refused once the other fields are right.
	const fixed = {
		...typed,
		name: 'Scripted Gathering',
		endDate: '2030-07-11',
		timeZone: 'Europe/London'
	};
	await fillEventForm(page, fixed);
	await page.getByRole('button', { name: 'Create event' }).click();
	await expectFieldError(
		description,
		'Please remove the HTML (such as <script>, event handlers or javascript: links). Use Markdown instead.'
	);
	await expect(name).not.toHaveAttribute('aria-invalid', 'true');
	await expectTypedValues(fixed);

	// Nothing was created along the way.
	await page.goto(`/manage/${typed.slug}`);
	await expect(page.getByRole('heading', { level: 1, name: 'Page not found' })).toBeVisible();
});

test('the add-block form refuses an end before the start and keeps what was typed', async ({
	page
}) => {
	const event = summerEvent();
	await createEvent(page, event);
	const form = page.getByRole('region', { name: 'Add block' });
	const daySelect = form.getByLabel('Day');
	const secondDay = await daySelect.locator('option').nth(1).getAttribute('value');

	await fillBlockForm(page, {
		day: 1,
		kind: 'Break',
		title: 'Backwards tea',
		start: '14:00',
		end: '13:30'
	});
	await form.getByRole('button', { name: 'Add block' }).click();

	const end = form.getByLabel('Ends');
	await expectFieldError(end, 'A block must end after it starts.');
	await expect(form.getByLabel('Starts')).not.toHaveAttribute('aria-invalid', 'true');
	await expect(daySelect).toHaveValue(secondDay!);
	await expect(form.getByLabel('Kind')).toHaveValue('break');
	await expect(form.getByLabel('Title')).toHaveValue('Backwards tea');
	await expect(form.getByLabel('Starts')).toHaveValue('14:00');
	await expect(end).toHaveValue('13:30');
	await expect(page.getByRole('cell', { name: 'Backwards tea' })).toHaveCount(0);

	// Put right, the same form adds the block.
	await end.fill('14:30');
	await form.getByRole('button', { name: 'Add block' }).click();
	await expect(form.getByRole('status')).toHaveText('Block added.');
	const day = page.locator('main section[aria-labelledby^="day-"]').nth(1);
	await expect(day.getByRole('row', { name: /Backwards tea/ })).toContainText('14:00–14:30');
});
