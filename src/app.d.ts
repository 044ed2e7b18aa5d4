import type { Session, SessionUser } from '$lib/server/auth/session';

declare global {
	namespace App {
		interface Locals {
			user: SessionUser | null;
			session: Session | null;
		}
		interface Error {
			message: string;
			/** Shown on the error page so a report can be matched to the server log. */
			errorId?: string;
		}
	}
}

export {};
