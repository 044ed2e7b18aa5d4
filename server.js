// The production server, in adapter-node's custom-server form: SvelteKit's handler behind a small
// `node:http` server that serves the events' live streams on the raw socket
// (src/lib/server/core/server.ts, offered by the app once its `init` has run).
// `npm start` builds the app and runs this file.
import { handler } from './build/handler.js';

const serve = globalThis[Symbol.for('commonspace.serve')];
serve(handler);
