// Entry of PGlite's worker thread (db/pgliteWorker.ts). The driver is TypeScript: load it through tsx, as
// the stack itself is loaded (scripts/start.mjs, vitest, the benches).
import { register } from 'tsx/esm/api';

register();
await import('./pgliteThread.ts');
