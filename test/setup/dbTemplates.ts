/**
 * Global setup of the `db` and `stack` projects (issue 14, CI time): the platform shim and every migration
 * are applied ONCE per run, and each test file starts from a copy instead of re-running them:
 *
 * - PGlite: an in-memory database is dumped to a tarball three times — fresh, after the shim only, and after
 *   every migration. A file's PGlite loads a tarball (`loadDataDir`), which also skips PGlite's own initdb (the
 *   costlier half of opening a PGlite: ~45 s for `new PGlite()` at load 17 on the 2-core CI machine). The
 *   tarballs are cached in node_modules/.cache by a hash of their sources, so the db and stack projects and
 *   later runs build them once.
 * - PostgreSQL: one throw-away server per run holds two template databases (shim only, migrated); a file
 *   gets its own database by `create database … template …` (1.6 s at load 10, against initdb + start +
 *   migrate 7.1 s) and drops it on stop. Files that need a server of their own (halt/resume, settings) still
 *   start one (startTempPostgres). With DATABASE_URL set, the old path is kept (a fresh database there).
 *
 * Callers still run migrate() on the copy, which must find nothing to apply (every file's checksum recorded)
 * — a template built from other files would show up there. test/fixtures/dbTemplate.ts hands the copies out.
 */
import { createHash, randomBytes } from 'node:crypto';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  watch,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import type { TestProject } from 'vitest/node';
import { serverBundle } from '../../scripts/serverBundle.mjs';
import { migrate, SUPABASE_DIR } from '../../supabase/local/db/migrate';
import { openPglite } from '../../supabase/local/db/pglite';
import { parseTar } from '../../supabase/local/db/pgliteTemplateFs';
import { openPostgres } from '../../supabase/local/db/postgres';
import { startTempPostgres } from '../../supabase/local/db/tempPostgres';

declare module 'vitest' {
  export interface ProvidedContext {
    /** A tarball of a migrated PGlite data folder (no seed), for `openPglite({ loadDataDir })`. */
    pgliteMigratedTemplate: string;
    /** A tarball of a PGlite data folder with the platform shim only (no migration). */
    pgliteShimTemplate: string;
    /** A tarball of a fresh PGlite data folder (PGlite's initdb only: nothing applied). */
    pgliteEmptyTemplate: string;
    /**
     * The run's PostgreSQL server (its `postgres` database) holding the template databases
     * `qm_template_shim` and `qm_template_migrated`; '' when DATABASE_URL is set (no shared server).
     */
    postgresTemplateServer: string;
    /** The run's prebuilt PGlite worker thread (a file: URL), '' → openPgliteWorker's own (through tsx). */
    pgliteThreadBundle: string;
  }
}

export const PG_TEMPLATES = { shim: 'qm_template_shim', migrated: 'qm_template_migrated' } as const;

/**
 * The PGlite tarballs are kept between runs and projects (the db and stack projects both need them) in
 * node_modules/.cache, under a hash of everything they are built from: the shim, the migrations, this file,
 * the PGlite driver and PGlite's version. Any change to one of them builds new ones.
 */
const pgliteCacheDir = (): string => {
  const h = createHash('sha256');
  const add = (path: string) => h.update(path).update(readFileSync(path));
  for (const sub of ['local/shim', 'migrations'])
    for (const f of readdirSync(join(SUPABASE_DIR, sub)).sort()) add(join(SUPABASE_DIR, sub, f));
  add(new URL(import.meta.url).pathname);
  add(join(SUPABASE_DIR, 'local/db/pglite.ts'));
  add(join(SUPABASE_DIR, 'local/db/migrate.ts'));
  add(join(SUPABASE_DIR, '../node_modules/@electric-sql/pglite/package.json'));
  return join(SUPABASE_DIR, '../node_modules/.cache/queuemed-db-templates', h.digest('hex').slice(0, 16));
};

const cachedPglite = async (dir: string): Promise<{ empty: string; shim: string; migrated: string }> => {
  const cache = pgliteCacheDir();
  const names = { empty: 'pglite-empty.tar', shim: 'pglite-shim.tar', migrated: 'pglite-migrated.tar' };
  const at = (n: string) => join(cache, n);
  const cached = () => Object.values(names).every((n) => existsSync(at(n)));
  if (cached()) return { empty: at(names.empty), shim: at(names.shim), migrated: at(names.migrated) };
  // One builder at a time (ci24, issue 14): on a clean clone `npm test` starts the db and stack phases together,
  // and both built the same tarballs (≈ 10 CPU-s each: PGlite's initdb, the shim, every migration). The first to
  // take the lock (an atomic mkdir) builds; the other waits for the cache and copies nothing. A builder that died
  // leaves its lock behind: a lock older than LOCK_STALE_MS, or one whose builder has gone, is taken over.
  const lock = `${cache}.lock`;
  mkdirSync(join(cache, '..'), { recursive: true });
  for (;;) {
    try {
      mkdirSync(lock);
      writeFileSync(join(lock, 'pid'), String(process.pid));
      break;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    }
    if (cached()) return { empty: at(names.empty), shim: at(names.shim), migrated: at(names.migrated) };
    if (lockIsStale(lock)) {
      rmSync(lock, { recursive: true, force: true });
      continue;
    }
    await nextChangeIn(join(cache, '..'));
  }
  try {
    if (cached()) return { empty: at(names.empty), shim: at(names.shim), migrated: at(names.migrated) };
    return await buildAndCache(dir, cache, names);
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
};

const LOCK_STALE_MS = 10 * 60_000;

/**
 * Resolves when something changes in `dir` — the builder removing its lock or renaming the finished cache in —
 * so a waiter re-checks on the outcome itself, not on a timer. The bound is only a safety net for a missed file
 * event (some file systems drop them): it re-checks, it never decides anything by time.
 */
const nextChangeIn = (dir: string): Promise<void> =>
  new Promise((resolve) => {
    const watcher = watch(dir, () => done());
    const bound = setTimeout(() => done(), 5_000);
    function done() {
      clearTimeout(bound);
      watcher.close();
      resolve();
    }
  });

/** A builder's lock whose process is gone (or that is older than any build): nobody will finish that cache. */
const lockIsStale = (lock: string): boolean => {
  try {
    if (Date.now() - statSync(lock).mtimeMs > LOCK_STALE_MS) return true;
    const pid = Number(readFileSync(join(lock, 'pid'), 'utf8'));
    if (!pid) return false; // just made, its pid not yet written
    try {
      process.kill(pid, 0);
      return false;
    } catch (e) {
      return (e as NodeJS.ErrnoException).code === 'ESRCH';
    }
  } catch {
    return false; // gone meanwhile (the loop looks again) or its pid not yet written
  }
};

const buildAndCache = async (
  dir: string,
  cache: string,
  names: { empty: string; shim: string; migrated: string },
): Promise<{ empty: string; shim: string; migrated: string }> => {
  const at = (n: string) => join(cache, n);
  const built = await buildPglite(dir);
  // a folder of its own first, then renamed: a concurrent run never sees half a cache
  const staging = `${cache}.${process.pid}`;
  mkdirSync(staging, { recursive: true });
  for (const [k, n] of Object.entries(names))
    writeFileSync(join(staging, n), readFileSync(built[k as keyof typeof names]));
  try {
    renameSync(staging, cache);
  } catch {
    rmSync(staging, { recursive: true, force: true }); // another run got there first: same content
  }
  return existsSync(at(names.migrated))
    ? { empty: at(names.empty), shim: at(names.shim), migrated: at(names.migrated) }
    : built;
};

/** A WAL segment file in a dump: `pg_wal/<timeline, log, segment as 24 hex digits>`. */
export const WAL_SEGMENT = /^pg_wal\/([0-9A-F]{24})$/;

/**
 * The dump without the WAL segments a start from it never reads (s31, issue 14, CI time): those before the last
 * checkpoint's redo point and those past the segment the WAL is being written in — segments PostgreSQL made ahead of
 * need (the migrated template's second 16 MB, all zeros). A start reads from the redo point to the end of the WAL and
 * makes the next segment when its WAL gets there. Every db/stack file's PGlite reads its tarball whole, and on this
 * machine reading into fresh memory costs ≈ 4 CPU-ms per MB: the migrated template goes from 63 to 47 MB.
 */
const withoutUnreadWal = (tar: Uint8Array, from: string, to: string): Uint8Array => {
  const kept = parseTar(tar).filter((e) => {
    const segment = WAL_SEGMENT.exec(e.path)?.[1];
    return segment === undefined || (segment >= from && segment <= to);
  });
  const out = new Uint8Array(kept.reduce((n, e) => n + e.end - e.start, 0) + 1024); // + the end-of-archive blocks
  let at = 0;
  for (const e of kept) {
    out.set(tar.subarray(e.start, e.end), at);
    at += e.end - e.start;
  }
  return out;
};

const buildPglite = async (dir: string): Promise<{ empty: string; shim: string; migrated: string }> => {
  const db = await openPglite();
  // A checkpoint before each dump: a PGlite opened from the tarball then starts at that checkpoint instead of
  // replaying the WAL of every migration first (≈ 0.3 CPU-s per open, paid by every db/stack test file).
  // A new WAL segment before it (s32): the migrated template's WAL ended 15.3 MB into its 16 MB segment, and a start
  // that finds its WAL past three quarters of a segment makes the next one at once — 16 MB written 8 kB at a time
  // into a growing in-memory file, ≈ 0.1 CPU-s of every open (0.68 → 0.58 CPU-s, alternated). From a fresh segment
  // a copy makes the next one only if its own WAL gets near it.
  const dump = async (path: string) => {
    await db.query('select pg_switch_wal()');
    await db.exec('checkpoint');
    const { rows } = await db.query<{ redo: string; insert: string }>(
      `select pg_walfile_name(c.redo_lsn) as redo, pg_walfile_name(pg_current_wal_insert_lsn()) as insert
         from pg_control_checkpoint() c`,
    );
    const { redo, insert } = rows[0]!;
    const tar = new Uint8Array(await (await db.dumpDataDir()).arrayBuffer());
    writeFileSync(path, withoutUnreadWal(tar, redo, insert));
  };
  try {
    const empty = join(dir, 'pglite-empty.tar');
    await dump(empty);
    const noMigrations = mkdtempSync(join(dir, 'none-'));
    await migrate(db, { migrationsDir: noMigrations });
    const shim = join(dir, 'pglite-shim.tar');
    await dump(shim);
    await migrate(db);
    const migrated = join(dir, 'pglite-migrated.tar');
    await dump(migrated);
    return { empty, shim, migrated };
  } finally {
    await db.close();
  }
};

const databaseUrl = (serverUrl: string, name: string): string => {
  const u = new URL(serverUrl);
  u.pathname = `/${name}`;
  return u.toString();
};

const migrateDatabase = async (url: string, options: { migrationsDir?: string } = {}) => {
  const db = await openPostgres({ url, max: 1 });
  try {
    await migrate(db, options);
  } finally {
    await db.close();
  }
};

const buildPostgres = async (dir: string): Promise<{ url: string; stop(): Promise<void> }> => {
  const server = await startTempPostgres({ ignoreEnv: true });
  try {
    const admin = new pg.Client({ connectionString: server.url });
    await admin.connect();
    try {
      await admin.query(`create database ${PG_TEMPLATES.shim}`);
      const noMigrations = mkdtempSync(join(dir, 'none-pg-'));
      await migrateDatabase(databaseUrl(server.url, PG_TEMPLATES.shim), { migrationsDir: noMigrations });
      // the shim template's connections are closed: it can be copied now
      await admin.query(`create database ${PG_TEMPLATES.migrated} template ${PG_TEMPLATES.shim}`);
      await migrateDatabase(databaseUrl(server.url, PG_TEMPLATES.migrated));
      // marked as templates: nobody connects to them by mistake, and `create database … template` is allowed
      await admin.query(
        `update pg_database set datistemplate = true, datallowconn = false where datname = any($1)`,
        [[PG_TEMPLATES.shim, PG_TEMPLATES.migrated]],
      );
    } finally {
      await admin.end();
    }
    return server;
  } catch (e) {
    await server.stop();
    throw e;
  }
};

/**
 * PGlite's worker thread, prebuilt once per run (issue 14, CI time). The stack files open PGlite in its worker
 * thread as `npm start` does; from source, each new worker registers tsx and resolves and transforms the
 * driver's TypeScript again (≈ 0.4 CPU-s per open, measured by `npm run bench:test-setup`). `npm start` loads the
 * same file from its esbuild bundle (scripts/serverBundle.mjs: same sources, `import.meta.url` kept); the run
 * builds one of its own in node_modules/.cache (so packages resolve from node_modules), removed at teardown.
 * If bundling fails, '' — the files fall back to the tsx thread, which reports the source's error.
 */
const bundlePgliteThread = async (): Promise<{ url: string; dir: string | null }> => {
  const root = join(SUPABASE_DIR, '..');
  const dir = join(
    root,
    'node_modules/.cache/queuemed-test-thread',
    `${process.pid}-${randomBytes(4).toString('hex')}`,
  );
  const built = await serverBundle(root, dir);
  return built ? { url: new URL('pgliteThread.mjs', built.url).href, dir } : { url: '', dir: null };
};

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const dir = mkdtempSync(join(tmpdir(), 'qm-db-template-'));
  const useEnv = (process.env.DATABASE_URL ?? '') !== '';
  // one after the other: PGlite runs on this thread and would starve the PostgreSQL client's sockets
  // (connection timeouts at load 15 when both were built at once)
  let server: { url: string; stop(): Promise<void> } | null = null;
  let pglite: { empty: string; shim: string; migrated: string };
  let thread: { url: string; dir: string | null } = { url: '', dir: null };
  try {
    server = useEnv ? null : await buildPostgres(dir);
    pglite = await cachedPglite(dir);
    thread = await bundlePgliteThread();
  } catch (e) {
    await server?.stop();
    rmSync(dir, { recursive: true, force: true });
    throw e;
  }
  project.provide('pgliteMigratedTemplate', pglite.migrated);
  project.provide('pgliteShimTemplate', pglite.shim);
  project.provide('pgliteEmptyTemplate', pglite.empty);
  project.provide('postgresTemplateServer', server?.url ?? '');
  project.provide('pgliteThreadBundle', thread.url);
  return async () => {
    await server?.stop();
    rmSync(dir, { recursive: true, force: true });
    if (thread.dir) rmSync(thread.dir, { recursive: true, force: true });
  };
}
