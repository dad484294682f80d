/**
 * Test harness: one database of each kind per test file. `describe.each(DB_KINDS)` runs a suite on
 * PGlite (in memory) and on a real PostgreSQL 15 started in a temporary folder (or a fresh database on
 * DATABASE_URL's server). A migrated database starts from a copy of the run's migrated template, on PGlite and on
 * PostgreSQL (test/setup/dbTemplates.ts, test/fixtures/dbTemplate.ts).
 */
import { pgliteTemplateBytes, postgresFromTemplate } from '../../../test/fixtures/dbTemplate';
import { migrate } from '../../local/db/migrate';
import { openPglite } from '../../local/db/pglite';
import { openPostgres } from '../../local/db/postgres';
import { startTempPostgres } from '../../local/db/tempPostgres';
import { SYSTEM_TZ_DIR } from '../../local/db/pgliteTimeZones';
import type { Db, DbKind } from '../../local/db/types';

export const DB_KINDS: readonly DbKind[] = ['pglite', 'postgres'];

export interface TestDb {
  db: Db;
  kind: DbKind;
  /** PostgreSQL only: the server URL, to open more pools (concurrency tests). */
  url?: string;
  stop(): Promise<void>;
}

export interface TestDbOptions {
  /** Apply shim + migrations (default true). */
  migrate?: boolean;
  seed?: boolean;
  /** PostgreSQL pool size (default 10). */
  poolSize?: number;
}

export const openTestDb = async (kind: DbKind, options: TestDbOptions = {}): Promise<TestDb> => {
  let t: TestDb;
  const migrated = options.migrate ?? true;
  if (kind === 'pglite') {
    // A copy of the run's migrated template (test/setup/dbTemplates.ts) when the file wants a migrated
    // database: migrate() below then has nothing left to apply but the seed, if asked for.
    const db = await openPglite({ loadDataDir: pgliteTemplateBytes(migrated ? 'migrated' : 'empty') });
    t = { db, kind, stop: () => db.close() };
  } else {
    // migrated: a copy of the run's migrated template database on its shared server (same check as above)
    const server = migrated ? await postgresFromTemplate('migrated') : await startTempPostgres();
    const db = await openPostgres({ url: server.url, max: options.poolSize ?? 10 });
    t = {
      db,
      kind,
      url: server.url,
      async stop() {
        await db.close();
        await server.stop();
      },
    };
  }
  if (migrated) await migrate(t.db, { seed: options.seed ?? false });
  return t;
};

/**
 * The zone files a database of `kind` computes with: PGlite is given QUEUEMED_ZONEINFO or /usr/share/zoneinfo
 * (supabase/local/db/pgliteTimeZones.ts); Debian's PostgreSQL reads /usr/share/zoneinfo (--with-system-tzdata).
 * Tests about a clinic's wall clock take their oracle from these (supabase/local/db/zoneData.ts), not from Node's
 * ICU, so they pass with any tzdata release — Morocco's rules changed in 2026c.
 */
export const zoneDirOf = (kind: DbKind): string =>
  kind === 'pglite' ? SYSTEM_TZ_DIR : '/usr/share/zoneinfo';
