// `npm run bench:health`: /health p50/p95 under a write burst with PGlite on the stack's thread (before)
// and in its worker thread (now). See supabase/local/benchHealth.ts. HEALTH_THREAD=inline|worker|both.
import { register } from 'tsx/esm/api';

register();
const { runHealthBench } = await import('../supabase/local/benchHealth.ts');
await runHealthBench();
process.exit(0);
