// `npm run bench:storm`: a busy morning through QueueService on the local stack, PGlite and PostgreSQL
// (see supabase/local/benchStorm.ts). BENCH_DB=pglite|postgres|both, STORM_COMMANDS=100, STORM_DAY=300.
// STORM_SCALE=30,300,1000: command p50/p95 against the day's length and the p95 ratio (issue 12).
// The stack runs in a child process (scripts/bench.mjs with BENCH_ROLE=server).
import { register } from 'tsx/esm/api';

register();
const { runStorm } = await import('../supabase/local/benchStorm.ts');
await runStorm();
process.exit(0);
