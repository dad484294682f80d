/**
 * The `stack` project runs its files one after the other in ONE long-lived worker process (`isolate: false`, issue
 * 14, CI time; vitest.config.ts); `db` and `unit` (one worker thread per core, ci28) do too. This setup file runs again before each file and puts back, when the file ends
 * (its afterAll runs after the file's own, which stop its stacks), what a file may change in the shared process:
 *
 * - the source modules: vitest's registry is emptied before the file imports anything, so every module of
 *   supabase/local, src and test (fakeClock's installed offset, domGlobals' jsdom, counters, caches) is evaluated
 *   afresh for each file as before; only node_modules (supabase-js, pino, pg, ws, jsdom …), which Node itself
 *   caches, are loaded once per worker instead of once per file;
 * - process.env: keys a file added are removed, keys it changed or removed are restored (kits hand the fake
 *   Twilio's address to their Deno hosts through it, some files set limits or sweep ages);
 * - globals: what a file defined on globalThis is removed (window, document … of test/integration/domGlobals.ts),
 *   what it replaced (Date, by installClockOffset) is put back — within limits (mreview25 F12; nothing in the
 *   project meets them today): only a STRING-keyed global a file added is removed (a Symbol-keyed one stays, and so
 *   does any name matching vitest|chai|jest), and only if it is configurable (deleting a non-configurable one fails
 *   silently); a replaced global is put back only if it is configurable now (a file that redefined one as
 *   non-configurable, or froze globalThis, keeps its version); a global a file deleted is not put back. A file that
 *   needs more restores it itself in its own afterAll;
 * - process listeners a file added (exit, signals, unhandledRejection …) are removed;
 * - vitest's own: env stubs, global stubs, fake timers (vi.restoreAllMocks is vitest's own after every file).
 */
import { afterAll, vi } from 'vitest';

vi.resetModules();

const env = { ...process.env };
const globalKeys = new Map(
  Reflect.ownKeys(globalThis).map((k) => [k, Object.getOwnPropertyDescriptor(globalThis, k)]),
);
const EVENTS = [
  'exit',
  'beforeExit',
  'SIGINT',
  'SIGTERM',
  'SIGHUP',
  'uncaughtException',
  'unhandledRejection',
  'warning',
] as const;
const listeners = new Map(EVENTS.map((e) => [e, new Set(process.listeners(e as 'exit'))]));

afterAll(() => {
  vi.unstubAllEnvs();
  vi.unstubAllGlobals();
  vi.useRealTimers();
  for (const k of Object.keys(process.env)) if (!(k in env)) delete process.env[k];
  for (const [k, v] of Object.entries(env)) if (process.env[k] !== v) process.env[k] = v;
  // string keys only, and not vitest's own (its runner's state lives on globalThis too)
  for (const k of Reflect.ownKeys(globalThis))
    if (typeof k === 'string' && !globalKeys.has(k) && !/vitest|chai|jest/i.test(k))
      Reflect.deleteProperty(globalThis, k);
  for (const [k, d] of globalKeys) {
    const now = Object.getOwnPropertyDescriptor(globalThis, k);
    if (!d || !now) continue;
    const same = 'value' in d ? now.value === d.value : now.get === d.get && now.set === d.set;
    if (!same && now.configurable) Object.defineProperty(globalThis, k, d);
  }
  for (const [e, before] of listeners)
    for (const l of process.listeners(e as 'exit'))
      if (!before.has(l)) process.removeListener(e, l as () => void);
});
