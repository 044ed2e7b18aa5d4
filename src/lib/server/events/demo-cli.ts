// `npm run demo`: load the demo event into the configured database.
import { asc, eq } from 'drizzle-orm';
import { closeDb, db, openDb, schema } from '../db';
import { loadDemoEvent } from './demo';

await openDb();
const [admin] = await db()
	.select({ id: schema.users.id })
	.from(schema.users)
	.where(eq(schema.users.isAdmin, true))
	.orderBy(asc(schema.users.id))
	.limit(1);
const event = await loadDemoEvent(admin?.id ?? null);
console.log(`Demo event ready: ${event.name} (/e/${event.slug}, manage at /manage/${event.slug})`);
await closeDb();
