// `npm start`: QueueMed on the embedded local stack (supabase/local). Builds the SPA when dist/ is missing or
// was built from other sources (scripts/sourceStamp.mjs), then runs the stack (TypeScript, loaded through
// tsx). PORT, HOST, PUBLIC_URL (the address phones open: board QR, tracking links), QUEUEMED_DATA_DIR, DATABASE_URL, QUEUEMED_DEV_MODE=1 (one-time codes printed and in
// /dev/outbox; loopback HOST only); tests only: QUEUEMED_FAKE_NOW (supabase/local/fakeClock.ts).
// PGlite starts opening in its thread before the stack's modules load (supabase/local/startEarly.ts), so the
// two overlap; the time of each phase is printed once the stack is ready.
import { execSync } from 'node:child_process';
import { register } from 'tsx/esm/api';
import { buildIsStale } from './sourceStamp.mjs';

const t0 = performance.now();
let mark = t0;
const lap = () => {
  const t = performance.now();
  const ms = t - mark;
  mark = t;
  return ms;
};
const root = new URL('..', import.meta.url).pathname;
const built = buildIsStale(root);
if (built) execSync('npx vite build', { cwd: root, stdio: 'inherit' });
const buildMs = lap();

register();
const { clockOffsetFromEnv, installClockOffset } = await import('../supabase/local/fakeClock.ts');
installClockOffset(clockOffsetFromEnv());
const { openDbEarly } = await import('../supabase/local/startEarly.ts');
const db = openDbEarly();
const { main } = await import('../supabase/local/main.ts');
const modulesMs = lap();
const { shutdown, phases } = await main(db ? { db } : {}).catch((e) => {
  console.error(`QueueMed did not start: ${e instanceof Error ? e.message : String(e)}`);
  process.exit(1);
});
const s = (ms) => `${(ms / 1000).toFixed(1)} s`;
console.log(
  `  Ready in ${s(performance.now() - t0)}: ${built ? 'build' : 'build check (up to date)'} ${s(buildMs)} · ` +
    `modules ${s(modulesMs)} · keys ${s(phases.keys)} · database open ${s(phases.dbOpen)}` +
    `${db ? ' more (opened alongside the modules)' : ''} · migrations ${s(phases.migrate)} · ` +
    `stack ${s(phases.stack)}\n`,
);
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.once(signal, () => {
    shutdown(signal).then(
      () => process.exit(0),
      (e) => {
        console.error(e);
        process.exit(1);
      },
    );
  });
}
