import path from 'node:path';
import { expect, test, type Browser, type Page } from '@playwright/test';
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

// The door offline: two door phones download the event's ticket list, lose the connection, and
// each lets the same ticket in from the list on the phone. When they reconnect, their admissions
// are sent: the ticket is in once, at the door that scanned it first, and the other door's
// admission is shown to the organiser as a conflict, on the door page and on the overview.

test.describe.configure({ mode: 'serial' });
// Two door phones, a ticket holder and the organiser: a long journey on a busy machine.
test.setTimeout(240_000);

async function ticketedEvent(browser: Browser, baseURL: string | undefined, name: string) {
	const event = summerEvent({ slug: uniqueSlug('doors') });
	const organiser = await adminContext(browser, baseURL);
	const setup = await organiser.newPage();
	await createTicketedEvent(setup, event, [{ name: 'Solidarity', pricing: 'Free' }]);
	const person = newPerson(name);
	const holder = await ticketHolder(browser, baseURL, event.slug, person);
	const code = await expectTicket(holder.page, event.slug, person.name);
	await holder.context.close();
	return { event, organiser, setup, person, code };
}

const scanRegion = (page: Page) => page.getByRole('region', { name: 'Scan or type a ticket code' });

test('two offline doors admit one ticket: after sync it is in once, and the second is a conflict', async ({
	browser,
	baseURL
}) => {
	const { event, organiser, setup, person, code } = await ticketedEvent(
		browser,
		baseURL,
		'Olive Offline'
	);
	const checkin = `/manage/${event.slug}/checkin`;

	async function doorPhone(door: string) {
		const context = await browser.newContext({
			baseURL,
			storageState: ADMIN_STATE,
			viewport: { width: 390, height: 844 }
		});
		const page = await context.newPage();
		page.on('console', (msg) => msg.type() === 'error' && console.log(`[${door}]`, msg.text()));
		await open(page, checkin);
		await page.getByRole('textbox', { name: 'Door', exact: true }).fill(door);
		await page.getByRole('button', { name: 'Download the ticket list' }).click();
		await expect(page.getByText(/^1 tickets kept on this phone, downloaded at/)).toBeVisible();
		return { context, page };
	}
	const main = await doorPhone('Main entrance');
	const side = await doorPhone('Side door');

	async function admitOffline(page: Page) {
		await expect(
			page.getByText('No connection: admitting from the list on this phone.')
		).toBeVisible();
		await page.getByRole('textbox', { name: 'Ticket code' }).fill(code.toUpperCase());
		await page.getByRole('button', { name: 'Check in', exact: true }).click();
		const outcome = scanRegion(page).getByRole('status');
		await expect(outcome).toContainText(`Checked in: ${person.name}`);
		await expect(outcome).toContainText('Ticket: Solidarity');
		await expect(outcome).toContainText('Admitted offline: sent when the connection returns.');
		await expect(page.getByText('Admissions waiting to be sent: 1.')).toBeVisible();
	}

	// The main entrance loses the connection and lets the person in from its list.
	await main.context.setOffline(true);
	await admitOffline(main.page);
	await expectNoAxeViolations(main.page);
	await main.page.screenshot({ path: path.join(SCREENSHOTS, 'door-offline-phone.png') });
	// Scanned again at the same door, the list on the phone already knows.
	await main.page.getByRole('textbox', { name: 'Ticket code' }).fill(code);
	await main.page.getByRole('button', { name: 'Check in', exact: true }).click();
	await expect(scanRegion(main.page).getByRole('status')).toContainText('Already checked in at');
	await expect(main.page.getByText('Admissions waiting to be sent: 1.')).toBeVisible();

	// The side door, offline too, lets the same ticket in a moment later.
	await side.context.setOffline(true);
	await admitOffline(side.page);

	// The main entrance reconnects: its admission arrives, once.
	await main.context.setOffline(false);
	await expect(main.page.getByText('Every admission made offline was sent.')).toBeVisible({
		timeout: 20_000
	});
	await expect(main.page.locator('.counts')).toHaveText(/^1 \/ 1/);

	// The side door reconnects: its admission is the conflict, reported on both door pages.
	await side.context.setOffline(false);
	await expect(side.page.getByText(/^Admissions waiting to be sent/)).toHaveCount(0, {
		timeout: 20_000
	});
	await expect(side.page.locator('.counts')).toHaveText(/^1 \/ 1/);
	for (const page of [side.page, main.page]) {
		const conflicts = page.getByRole('region', { name: 'Conflicts at the doors' });
		await expect(conflicts).toContainText(
			new RegExp(
				`${person.name}: let in at Side door at .*, but already let in at Main entrance at`
			)
		);
	}
	await expectNoAxeViolations(side.page);
	await side.page.screenshot({
		path: path.join(SCREENSHOTS, 'door-offline-conflict-phone.png'),
		fullPage: true
	});

	// The organiser's overview: one check-in, at the main entrance, and the conflict.
	await open(setup, `/manage/${event.slug}`);
	const perDoor = setup.getByRole('figure', { name: 'Check-ins per door' });
	await expect(perDoor).toContainText(
		'1 people checked in at 1 doors; the busiest is Main entrance with 1.'
	);
	await expect(perDoor.locator('svg')).toContainText('Main entrance');
	await expect(setup.getByRole('region', { name: 'Conflicts at the doors' })).toContainText(
		`${person.name}: let in at Side door`
	);
	await expectNoAxeViolations(setup);

	// And in the activity log.
	await open(setup, `/manage/${event.slug}/activity`);
	await expect(
		setup.getByText(/’s ticket was let in at two doors while they were offline/).first()
	).toBeVisible();

	await main.context.close();
	await side.context.close();
	await organiser.close();
});

test('without JavaScript the door form checks in and keeps the door name', async ({
	browser,
	baseURL
}) => {
	const { event, organiser, person, code } = await ticketedEvent(browser, baseURL, 'Nora NoScript');
	const context = await browser.newContext({
		baseURL,
		storageState: ADMIN_STATE,
		javaScriptEnabled: false
	});
	const page = await context.newPage();
	await page.goto(`/manage/${event.slug}/checkin`);
	await page.getByRole('textbox', { name: 'Door', exact: true }).fill('Garden gate');
	await page.getByRole('textbox', { name: 'Ticket code' }).fill(code);
	await page.getByRole('button', { name: 'Check in', exact: true }).click();
	await expect(scanRegion(page).getByRole('status')).toContainText(`Checked in: ${person.name}`);
	await expect(page.getByRole('textbox', { name: 'Door', exact: true })).toHaveValue('Garden gate');
	// Nothing offline is offered without JavaScript.
	await expect(page.getByRole('button', { name: 'Download the ticket list' })).toHaveCount(0);
	await page.goto(`/manage/${event.slug}`);
	await expect(page.getByRole('figure', { name: 'Check-ins per door' })).toContainText(
		'the busiest is Garden gate with 1.'
	);
	await context.close();
	await organiser.close();
});
