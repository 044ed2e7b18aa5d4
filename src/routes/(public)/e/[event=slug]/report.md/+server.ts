import { reportDownload } from '$lib/../routes/(public)/e/[event=slug]/report-download';
import type { RequestHandler } from './$types';

export const GET: RequestHandler = (request) => reportDownload(request, 'md');
