import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ parent }) => {
	const { event } = await parent();
	return { event };
};
