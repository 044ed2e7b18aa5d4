/** Each language the site speaks, by its own name (a language is listed as its speakers write it). */
export const LOCALE_NAMES: Record<string, string> = { en: 'English', ca: 'Català' };
