// `npm run dev`: the local stack (API only) plus Vite's dev server with hot reload. Vite proxies the
// Supabase paths to the stack, so the app sees one origin, exactly as with `npm start`.
import { register } from 'tsx/esm/api';
import { createServer } from 'vite';

register();
// Development: one-time codes are printed and kept in the dev outbox unless QUEUEMED_DEV_MODE=0 (the
// stack refuses development mode on a HOST other than loopback).
process.env.QUEUEMED_DEV_MODE ??= '1';
const vitePort = Number(process.env.VITE_PORT ?? 5173);
const appUrl = `http://localhost:${vitePort}`;
const { main } = await import('../supabase/local/main.ts');
const { stack, shutdown } = await main({ staticDir: null, publicUrl: appUrl });
const target = stack.url;
const proxy = {
  '/rest/v1': { target },
  '/auth/v1': { target },
  '/functions/v1': { target },
  '/realtime/v1': { target, ws: true },
  '/config.json': { target },
  '/health': { target },
  '/dev/outbox': { target },
};
const vite = await createServer({ server: { port: vitePort, strictPort: true, proxy } });
await vite.listen();
vite.printUrls();
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.once(signal, () => {
    Promise.all([vite.close(), shutdown(signal)]).then(
      () => process.exit(0),
      (e) => {
        console.error(e);
        process.exit(1);
      },
    );
  });
}
