/**
 * `npm start` on an installed checkout (issue 14: ready in < 5 s): with nothing new to apply, migrate() reads
 * what is applied once and opens no transaction per file; a new or changed file still goes through the locked
 * check (a changed migration is refused, a changed seed is not re-applied).
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrate, MigrationChangedError } from '../local/db/migrate';
import { openPglite } from '../local/db/pglite';
import type { Db } from '../local/db/types';
import { pgliteTemplate } from '../../test/fixtures/dbTemplate';

describe('migrate on restart', () => {
  let db: Db;
  let dir: string;
  let transactions = 0;
  let counting: Db;
  beforeAll(async () => {
    db = await openPglite({ loadDataDir: pgliteTemplate('empty') }); // a fresh PGlite's copy (no initdb)
    dir = mkdtempSync(join(tmpdir(), 'qm-migrate-'));
    mkdirSync(join(dir, 'migrations'));
    mkdirSync(join(dir, 'shim'));
    writeFileSync(join(dir, 'shim', '00_shim.sql'), 'create table shim_t (id int);');
    writeFileSync(join(dir, 'migrations', '001_a.sql'), 'create table a_t (id int);');
    writeFileSync(join(dir, 'migrations', '002_b.sql'), 'create table b_t (id int);');
    writeFileSync(join(dir, 'seed.sql'), 'insert into a_t values (1);');
    counting = {
      ...db,
      query: db.query.bind(db),
      exec: db.exec.bind(db),
      transaction: (fn) => {
        transactions++;
        return db.transaction(fn);
      },
    } as Db;
  }, 600_000); // PGlite's start on a loaded 2-core machine
  afterAll(async () => {
    await db?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });
  const opts = () => ({
    migrationsDir: join(dir, 'migrations'),
    shimDir: join(dir, 'shim'),
    seedFile: join(dir, 'seed.sql'),
    seed: true,
  });

  it('applies everything once, then a restart opens no transaction per file', async () => {
    const first = await migrate(counting, opts());
    expect(first.applied).toEqual([
      'shim:00_shim.sql',
      'migration:001_a.sql',
      'migration:002_b.sql',
      'seed:seed.sql',
    ]);
    transactions = 0;
    const again = await migrate(counting, opts());
    expect(again.applied).toEqual([]);
    expect(transactions).toBe(1); // the bookkeeping table's `create if not exists`, nothing per file
  });

  it('a new file is applied; a changed seed is not re-applied; a changed migration is refused', async () => {
    writeFileSync(join(dir, 'migrations', '003_c.sql'), 'create table c_t (id int);');
    writeFileSync(join(dir, 'seed.sql'), 'insert into a_t values (2);');
    expect((await migrate(counting, opts())).applied).toEqual(['migration:003_c.sql']);
    expect((await db.query<{ n: number }>('select count(*)::int as n from a_t')).rows[0]?.n).toBe(1);
    writeFileSync(join(dir, 'migrations', '002_b.sql'), 'create table b2_t (id int);');
    await expect(migrate(counting, opts())).rejects.toBeInstanceOf(MigrationChangedError);
  });
});
