// `npm run bench`: local stack figures on PGlite and PostgreSQL (see supabase/local/bench.ts).
// BENCH_DB=pglite|postgres|both, BENCH_DURATION=<seconds, default 60>, BENCH_ITER=<default 200>.
// The stack runs in a child process (BENCH_ROLE=server) so the load generator does not share its loop.
import { register } from 'tsx/esm/api';

register();
const bench = await import('../supabase/local/bench.ts');
if (process.env.BENCH_ROLE === 'server') {
  await bench.serveBench(process.env.BENCH_KIND === 'postgres' ? 'postgres' : 'pglite');
} else {
  await bench.runBench();
  // ── Notifications (issue 7): messages/s through the pipeline to a fake Twilio; call next → SMS delay ──
  const { runNotificationsBench } = await import('./bench-notifications.mjs');
  await runNotificationsBench();
  process.exit(0);
}
