import type { ParamMatcher } from '@sveltejs/kit';
import { SLUG_PATTERN } from '$lib/schemas/slug';

export const match: ParamMatcher = (param) => param.length <= 60 && SLUG_PATTERN.test(param);
