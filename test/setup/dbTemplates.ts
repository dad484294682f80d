/**
 * Global setup of the `db` and `stack` projects (issue 14, CI time): the platform shim and every migration
 * are applied ONCE per run, and each test file starts from a copy instead of re-running them:
 *
 * - PGlite: an in-memory database is dumped to a tarball three times — fresh, after the shim only, and after
 *   every migration. A file's PGlite loads a tarball (`loadDataDir`), which also skips PGlite's own initdb (the
 *   costlier half of opening a PGlite: ~45 s for `new PGlite()` at load 17 on the 2-core CI machine).
 * - PostgreSQL: one throw-away server per run holds two template databases (shim only, migrated); a file
 *   gets its own database by `create database … template …` (1.6 s at load 10, against initdb + start +
 *   migrate 7.1 s) and drops it on stop. Files that need a server of their own (halt/resume, settings) still
 *   start one (startTempPostgres). With DATABASE_URL set, the old path is kept (a fresh database there).
 *
 * Callers still run migrate() on the copy, which must find nothing to apply (every file's checksum recorded)
 * — a template built from other files would show up there. test/fixtures/dbTemplate.ts hands the copies out.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import type { TestProject } from 'vitest/node';
import { migrate } from '../../supabase/local/db/migrate';
import { openPglite } from '../../supabase/local/db/pglite';
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
  }
}

export const PG_TEMPLATES = { shim: 'qm_template_shim', migrated: 'qm_template_migrated' } as const;

const buildPglite = async (dir: string): Promise<{ empty: string; shim: string; migrated: string }> => {
  const db = await openPglite();
  try {
    const empty = join(dir, 'pglite-empty.tar');
    writeFileSync(empty, Buffer.from(await (await db.dumpDataDir()).arrayBuffer()));
    const noMigrations = mkdtempSync(join(dir, 'none-'));
    await migrate(db, { migrationsDir: noMigrations });
    const shim = join(dir, 'pglite-shim.tar');
    writeFileSync(shim, Buffer.from(await (await db.dumpDataDir()).arrayBuffer()));
    await migrate(db);
    const migrated = join(dir, 'pglite-migrated.tar');
    writeFileSync(migrated, Buffer.from(await (await db.dumpDataDir()).arrayBuffer()));
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

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const dir = mkdtempSync(join(tmpdir(), 'qm-db-template-'));
  const useEnv = (process.env.DATABASE_URL ?? '') !== '';
  // one after the other: PGlite runs on this thread and would starve the PostgreSQL client's sockets
  // (connection timeouts at load 15 when both were built at once)
  let server: { url: string; stop(): Promise<void> } | null = null;
  let pglite: { empty: string; shim: string; migrated: string };
  try {
    server = useEnv ? null : await buildPostgres(dir);
    pglite = await buildPglite(dir);
  } catch (e) {
    await server?.stop();
    rmSync(dir, { recursive: true, force: true });
    throw e;
  }
  project.provide('pgliteMigratedTemplate', pglite.migrated);
  project.provide('pgliteShimTemplate', pglite.shim);
  project.provide('pgliteEmptyTemplate', pglite.empty);
  project.provide('postgresTemplateServer', server?.url ?? '');
  return async () => {
    await server?.stop();
    rmSync(dir, { recursive: true, force: true });
  };
}
