export type FieldErrors = Record<string, string>;

export type DomainErrorKind =
	'invalid' | 'unauthenticated' | 'forbidden' | 'not_found' | 'conflict' | 'rate_limited';

const STATUS: Record<DomainErrorKind, number> = {
	invalid: 400,
	unauthenticated: 401,
	forbidden: 403,
	not_found: 404,
	conflict: 409,
	rate_limited: 429
};

/** Expected failures of a domain function; routes turn them into `fail()` or `error()`. */
export class DomainError extends Error {
	readonly kind: DomainErrorKind;
	readonly fields: FieldErrors;

	constructor(kind: DomainErrorKind, message: string, fields: FieldErrors = {}) {
		super(message);
		this.name = 'DomainError';
		this.kind = kind;
		this.fields = fields;
	}

	get status(): number {
		return STATUS[this.kind];
	}
}

export const invalid = (fields: FieldErrors, message = 'Invalid input') =>
	new DomainError('invalid', message, fields);
export const forbidden = (message = 'Forbidden') => new DomainError('forbidden', message);
export const notFound = (message = 'Not found') => new DomainError('not_found', message);
export const unauthenticated = (message = 'Sign in first') =>
	new DomainError('unauthenticated', message);

export function isDomainError(e: unknown): e is DomainError {
	return e instanceof DomainError;
}
