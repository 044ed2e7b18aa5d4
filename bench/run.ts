// `npm run bench -- <name>`: run one benchmark; each prints its figures, the last line as JSON.
const benches: Record<string, () => Promise<unknown>> = {
	bundle: () => import('./bundle'),
	'ticket-rush': () => import('./ticket-rush'),
	'vote-storm': () => import('./vote-storm')
};

const name = process.argv[2];
if (!name || !benches[name]) {
	console.error(`usage: npm run bench -- <${Object.keys(benches).join('|')}>`);
	process.exit(2);
}
await benches[name]();
