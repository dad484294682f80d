// `npm start`: QueueMed on the embedded local stack (supabase/local). Builds the SPA when dist/ is missing or
// was built from other sources (scripts/sourceStamp.mjs), then runs the stack (TypeScript, loaded through
// tsx). PORT, HOST, PUBLIC_URL (the address phones open: board QR, tracking links), QUEUEMED_DATA_DIR, DATABASE_URL, QUEUEMED_DEV_MODE=1 (one-time codes printed and in
// /dev/outbox; loopback HOST only); tests only: QUEUEMED_FAKE_NOW (supabase/local/fakeClock.ts).
import { execSync } from 'node:child_process';
import { register } from 'tsx/esm/api';
import { buildIsStale } from './sourceStamp.mjs';

const root = new URL('..', import.meta.url).pathname;
if (buildIsStale(root)) execSync('npx vite build', { cwd: root, stdio: 'inherit' });

register();
const { clockOffsetFromEnv, installClockOffset } = await import('../supabase/local/fakeClock.ts');
installClockOffset(clockOffsetFromEnv());
const { main } = await import('../supabase/local/main.ts');
const { shutdown } = await main().catch((e) => {
  console.error(`QueueMed did not start: ${e instanceof Error ? e.message : String(e)}`);
  process.exit(1);
});
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
