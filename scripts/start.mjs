// `npm start`: QueueMed on the embedded local stack (supabase/local). Builds the SPA on a fresh clone,
// then runs the stack (TypeScript, loaded through tsx). PORT, HOST, QUEUEMED_DATA_DIR, DATABASE_URL,
// QUEUEMED_DEV_MODE=1 (one-time codes printed and in /dev/outbox; loopback HOST only).
import { execSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { register } from 'tsx/esm/api';

const root = new URL('..', import.meta.url).pathname;
if (!existsSync(join(root, 'dist', 'index.html'))) execSync('npx vite build', { cwd: root, stdio: 'inherit' });

register();
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
