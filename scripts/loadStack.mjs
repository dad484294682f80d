// How `npm start` (scripts/start.mjs) and the tests' stack process (test/fixtures/stackProcess.mjs) load the local
// stack: from a prebuilt server bundle (scripts/serverBundle.mjs; `bundleUrl`, a file: URL ending in '/') or, with
// none, the TypeScript sources through tsx. The fake clock (tests only: QUEUEMED_FAKE_NOW) is installed first, and
// PGlite starts opening in its thread (supabase/local/startEarly.ts) before main's modules load, so the two overlap.
const tsxLoader = async () => {
  (await import('tsx/esm/api')).register();
  return (name) => import(`../supabase/local/${name}.ts`);
};

/**
 * Installs the clock, starts opening the database; `db` (undefined when PostgreSQL or nothing to open early) is
 * for main({ db }), and `loadMain()` loads the rest of the stack — separate so a caller can time the two.
 */
export async function openStack(bundleUrl) {
  const load = bundleUrl ? (name) => import(new URL(`${name}.mjs`, bundleUrl).href) : await tsxLoader();
  const { clockOffsetFromEnv, installClockOffset } = await load('fakeClock');
  installClockOffset(clockOffsetFromEnv());
  const { openDbEarly } = await load('startEarly');
  const db = openDbEarly(process.env, bundleUrl ? new URL('pgliteThread.mjs', bundleUrl) : undefined);
  return { db, loadMain: () => load('main') };
}
