import { AsyncLocalStorage } from 'node:async_hooks';
import {
	getLocale,
	isLocale,
	overwriteServerAsyncLocalStorage,
	serverAsyncLocalStorage
} from '$lib/paraglide/runtime';

// Mail goes out in the recipient's language, not the language of whoever caused it: the
// messages are looked up while the recipient's locale is the one in force. Paraglide keeps the
// request's locale in an AsyncLocalStorage; a nested run with another locale changes it only
// for the message being written.

export async function inLocale<T>(
	locale: string | null,
	compose: () => T | Promise<T>
): Promise<T> {
	if (!locale || !isLocale(locale) || locale === getLocale()) return compose();
	if (!serverAsyncLocalStorage) overwriteServerAsyncLocalStorage(new AsyncLocalStorage());
	const storage = serverAsyncLocalStorage!;
	return storage.run({ ...(storage.getStore() ?? {}), locale }, compose);
}
