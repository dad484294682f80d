/**
 * Global setup of the `db` project (issue 14, CI time): the shim and every migration are applied ONCE per run
 * to an in-memory PGlite, whose data folder is dumped to a tarball. Each test file's PGlite then starts from
 * that copy (supabase/tests/helpers/testDb.ts) instead of re-running all migrations: the same database,
 * still private to the file. openTestDb still calls migrate() on the copy, which must find nothing to apply
 * (every file's checksum recorded) — a template built from other files would show up there.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { migrate } from '../../supabase/local/db/migrate';
import { openPglite } from '../../supabase/local/db/pglite';

declare module 'vitest' {
  export interface ProvidedContext {
    /** A tarball of a migrated PGlite data folder (no seed), for `openPglite({ loadDataDir })`. */
    pgliteMigratedTemplate: string;
  }
}

export default async function setup(project: TestProject): Promise<() => void> {
  const dir = mkdtempSync(join(tmpdir(), 'qm-db-template-'));
  const db = await openPglite();
  try {
    await migrate(db);
    const tar = await db.dumpDataDir();
    const file = join(dir, 'pglite-migrated.tar');
    writeFileSync(file, Buffer.from(await tar.arrayBuffer()));
    project.provide('pgliteMigratedTemplate', file);
  } finally {
    await db.close();
  }
  return () => rmSync(dir, { recursive: true, force: true });
}
