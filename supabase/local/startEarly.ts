/**
 * What `npm start` (scripts/start.mjs) does before the stack's modules are loaded: find the data folder and
 * start opening PGlite in its thread, so the database opens while the main thread loads the stack. Kept
 * light on purpose (no PGlite, pg or stack imports here).
 */
import { mkdirSync } from 'node:fs';
import { isAbsolute, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { openPgliteWorker } from './db/pgliteWorker.js';
import type { Db } from './db/types.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** The data folder: QUEUEMED_DATA_DIR (relative to the working directory), else `.queuemed` in the checkout. */
export function dataDirFromEnv(env: NodeJS.ProcessEnv = process.env): string {
  const dir = env.QUEUEMED_DATA_DIR;
  return dir ? (isAbsolute(dir) ? dir : resolve(process.cwd(), dir)) : join(ROOT, '.queuemed');
}

/**
 * Starts opening the embedded database (PGlite in its worker thread) and returns it as a promise for
 * `main({ db })`; undefined when `main` should open it itself (DATABASE_URL, or PGlite inline). A failure
 * surfaces where `main` awaits it, as if `main` had opened it. `thread`: the worker's entry (see
 * openPgliteWorker; npm start passes its prebuilt bundle).
 */
export function openDbEarly(env: NodeJS.ProcessEnv = process.env, thread?: URL): Promise<Db> | undefined {
  if (env.DATABASE_URL || env.QUEUEMED_PGLITE_THREAD === 'inline') return undefined;
  const dataDir = dataDirFromEnv(env);
  mkdirSync(dataDir, { recursive: true });
  const db = openPgliteWorker({ dataDir: join(dataDir, 'pglite') }, thread);
  db.catch(() => undefined); // handled by main's await, later
  return db;
}
