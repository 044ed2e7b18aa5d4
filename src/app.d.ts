import type { Session, SessionUser } from '$lib/server/auth/session';

declare global {
	namespace App {
		interface Locals {
			user: SessionUser | null;
			session: Session | null;
			/** Set first by the request log; every log line of the request carries it. */
			requestId: string;
		}
		interface Error {
			message: string;
			/** Shown on the error page so a report can be matched to the server log. */
			errorId?: string;
		}
	}
}

export {};
