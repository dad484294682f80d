// `npm start`: QueueMed on the embedded local stack (supabase/local). Builds the SPA when dist/ is missing or
// was built from other sources (scripts/sourceStamp.mjs), then runs the stack (TypeScript, prebuilt by
// scripts/serverBundle.mjs when a source changed, else loaded through tsx). PORT, HOST, PUBLIC_URL (the address phones open: board QR, tracking links), QUEUEMED_DATA_DIR, DATABASE_URL, QUEUEMED_DEV_MODE=1 (one-time codes printed and in
// /dev/outbox; loopback HOST only), QUEUEMED_TRUSTED_PROXIES (load balancers whose X-Forwarded-For names the client: README "Several processes"); tests only: QUEUEMED_FAKE_NOW (supabase/local/fakeClock.ts).
// OTEL_EXPORTER_OTLP_ENDPOINT or OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: traces sent over OTLP/HTTP (supabase/local/otlp.ts).
// The stack loads as scripts/loadStack.mjs says (PGlite opening in its thread while the modules load); the time of
// each phase is printed once the stack is ready.
import { execSync } from 'node:child_process';
import { openStack } from './loadStack.mjs';
import { serverBundle } from './serverBundle.mjs';
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

// The stack's modules: its prebuilt bundle (scripts/serverBundle.mjs; rebuilt only when a source changed),
// else (or with QUEUEMED_SERVER_BUNDLE=0) the TypeScript sources through tsx.
const bundle = process.env.QUEUEMED_SERVER_BUNDLE === '0' ? null : await serverBundle(root);
const { db, loadMain } = await openStack(bundle?.url ?? null);
const bundleMs = lap();
const { main } = await loadMain();
const modulesMs = lap();
const { shutdown, phases } = await main(db ? { db } : {}).catch((e) => {
  console.error(`QueueMed did not start: ${e instanceof Error ? e.message : String(e)}`);
  process.exit(1);
});
const s = (ms) => `${(ms / 1000).toFixed(1)} s`;
const cpu = process.cpuUsage();
console.log(
  `  Ready in ${s(performance.now() - t0)} (CPU ${s((cpu.user + cpu.system) / 1000)}, all threads): ${built ? 'build' : 'build check (up to date)'} ${s(buildMs)} · ` +
    `server bundle ${bundle ? (bundle.built ? 'built' : 'check (up to date)') : 'off (tsx)'} ${s(bundleMs)} · ` +
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
