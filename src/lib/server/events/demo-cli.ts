// `npm run demo`: load the demo event into the configured database.
import { asc, eq } from 'drizzle-orm';
import { closeDb, db, openDb, schema } from '../db';
import { config } from '../core/config';
import { loadDemoEvent } from './demo';
import { loadDemoSamples } from './demo-samples';

await openDb();
const [admin] = await db()
	.select({ id: schema.users.id })
	.from(schema.users)
	.where(eq(schema.users.isAdmin, true))
	.orderBy(asc(schema.users.id))
	.limit(1);
const event = await loadDemoEvent(admin?.id ?? null);
// `npm run demo -- --samples` also adds the sample people, talks, proposals and a harvest.
if (process.argv.includes('--samples')) {
	if (!admin) throw new Error('Sample people need the instance admin: run the setup first.');
	await loadDemoSamples({ id: admin.id, isAdmin: true }, event, config.origin);
	console.log('Sample people added: sign in as them by link, reading the links at /admin/outbox.');
}
console.log(`Demo event ready: ${event.name} (/e/${event.slug}, manage at /manage/${event.slug})`);
await closeDb();
