import { parseForm } from '$lib/schemas/form';
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
import { failWith, invalidForm, orHttpError } from '$lib/server/core/http';
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
	const data = await request.request.formData();
	const form = `harvest-${String(data.get('harvestId') ?? '').replace(/\D/g, '')}`;
	const parsed = parseForm(reviewSchema, data);
	if (!parsed.success) return invalidForm(parsed.errors, parsed.values, form);
	const { locals, url } = request;
	try {
		await change(locals.user, event.id, parsed.data.harvestId, parsed.data.to === 'on');
	} catch (e) {
		return failWith(e, parsed.values, { url, form });
	}
	return { form, saved: true };
}

async function publishing(request: RequestEvent, change: typeof publishReport) {
	const event = await manage(request);
	const { locals, url } = request;
	try {
		await change(locals.user, event.id);
	} catch (e) {
		return failWith(e, {}, { url, form: 'publish' });
	}
	return { form: 'publish', saved: true };
}

export const actions: Actions = {
	complete: (request) => review(request, markHarvestComplete),
	hide: (request) => review(request, hideHarvest),
	licence: async (request) => {
		const event = await manage(request);
		const parsed = parseForm(licenceSchema, await request.request.formData());
		if (!parsed.success) return invalidForm(parsed.errors, parsed.values, 'licence');
		const { locals, url } = request;
		try {
			await setReportLicence(locals.user, event.id, parsed.data.licence);
		} catch (e) {
			return failWith(e, parsed.values, { url, form: 'licence' });
		}
		return { form: 'licence', saved: true };
	},
	publish: (request) => publishing(request, publishReport),
	unpublish: (request) => publishing(request, unpublishReport)
};
