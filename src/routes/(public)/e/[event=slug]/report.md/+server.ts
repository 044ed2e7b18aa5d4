import { reportDownload } from '$lib/server/report-download';
import type { RequestHandler } from './$types';

export const GET: RequestHandler = (request) => reportDownload(request, 'md');
