import { noFields } from '$lib/schemas/form';
import { licenceSchema, reviewSchema } from '$lib/schemas/harvest-report';
import { eventForManage } from '$lib/server/events/events';
import {
	hideHarvest,
	markHarvestComplete,
	publishReport,
	reviewHarvests,
	setReportLicence,
	unpublishReport
} from '$lib/server/harvest/review';
import { formAction, formFor, orHttpError } from '$lib/server/core/http';
import type { Actions, PageServerLoad, RequestEvent } from './$types';

const manage = ({ locals, params, url }: RequestEvent | Parameters<PageServerLoad>[0]) =>
	orHttpError(url, () => eventForManage(locals.user, params.event, 'harvest.manage'));

export const load: PageServerLoad = async (request) => {
	const event = await manage(request);
	const { locals, url } = request;
	return { review: await orHttpError(url, () => reviewHarvests(locals.user, event.id)) };
};

/** Mark complete / reopen, or hide / show: one harvest per form, named by its id. */
async function review(request: RequestEvent, change: typeof markHarvestComplete) {
	const event = await manage(request);
	return formAction(request, reviewSchema, formFor('harvest', 'harvestId'), async (input) => {
		await change(request.locals.user, event.id, input.harvestId, input.to === 'on');
		return { saved: true };
	});
}

async function publishing(request: RequestEvent, change: typeof publishReport) {
	const event = await manage(request);
	return formAction(request, noFields, 'publish', async () => {
		await change(request.locals.user, event.id);
		return { saved: true };
	});
}

export const actions: Actions = {
	complete: (request) => review(request, markHarvestComplete),
	hide: (request) => review(request, hideHarvest),
	licence: async (request) => {
		const event = await manage(request);
		return formAction(request, licenceSchema, 'licence', async ({ licence }) => {
			await setReportLicence(request.locals.user, event.id, licence);
			return { saved: true };
		});
	},
	publish: (request) => publishing(request, publishReport),
	unpublish: (request) => publishing(request, unpublishReport)
};
