/**
 * Server configuration read from the environment. Domain modules read it here rather than from
 * `$env` so the same code runs under SvelteKit, vitest and the command-line scripts.
 */
export const config = {
	get databaseUrl() {
		return process.env.DATABASE_URL || undefined;
	},
	get pgliteDir() {
		return process.env.PGLITE_DIR || './data/pglite';
	},
	get smtpUrl() {
		return process.env.SMTP_URL || undefined;
	},
	get mailFrom() {
		return process.env.MAIL_FROM || 'Commonspace <commonspace@localhost>';
	},
	/** Base URL used in links inside e-mails, when no request is at hand. */
	get origin() {
		return process.env.ORIGIN || `http://localhost:${process.env.PORT || 3000}`;
	}
};
