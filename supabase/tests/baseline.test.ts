/**
 * The migrations baseline (issue 11): the 24 migrations of 2026-11-24 … 2026-11-30 were folded into
 * 20261201000000_* … (all < 20261201001000), in which every function is defined exactly once; from there
 * on migrations are append-only. Kept honest here:
 * - the baseline itself defines each function once (plain `create function`, no `create or replace`, no
 *   drop), and those definitions are exactly the functions it leaves in public and private;
 * - PGlite and PostgreSQL build the same catalogue from supabase/migrations (scripts/schema-fingerprint.mjs
 *   prints the same fingerprint; it also proved the baseline equal to the old chain, see docs/migrations.md);
 * - a database built from the folded history is refused with DB.PRE_BASELINE before anything is applied.
 */
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { schemaFingerprint } from '../local/db/fingerprint';
import { migrate, PreBaselineDatabaseError, SUPABASE_DIR } from '../local/db/migrate';
import { openPglite } from '../local/db/pglite';
import type { Db } from '../local/db/types';
import { pgliteTemplate } from '../../test/fixtures/dbTemplate';
import { openTestDb } from './helpers/testDb';
import type { TestDb } from './helpers/testDb';

const MIGRATIONS = join(SUPABASE_DIR, 'migrations');
/** The baseline's files: 20261201000000_* up to (not including) the first engineer's prefix. */
const BASELINE_FIRST = '20261201000000';
const BASELINE_END = '20261201001000';
const baselineFiles = readdirSync(MIGRATIONS)
  .filter((f) => f.endsWith('.sql') && f >= BASELINE_FIRST && f < BASELINE_END)
  .sort();

/** `create [or replace] function schema.name(` at the start of a line, comments removed. */
const functionDefinitions = (sql: string): { name: string; replace: boolean }[] =>
  [
    ...sql
      .replace(/--.*$/gm, '')
      .matchAll(/^\s*create\s+(or\s+replace\s+)?function\s+([a-z_]+\.[a-z_0-9]+)\s*\(/gim),
  ].map((m) => ({ name: (m[2] ?? '').toLowerCase(), replace: m[1] !== undefined }));

describe('the baseline (20261201000000_* … < 20261201001000)', () => {
  const sql = baselineFiles.map((f) => readFileSync(join(MIGRATIONS, f), 'utf8')).join('\n');
  const defs = functionDefinitions(sql);

  it('is the first migration: nothing sorts before it', () => {
    expect(baselineFiles.length).toBeGreaterThan(0);
    const all = readdirSync(MIGRATIONS)
      .filter((f) => f.endsWith('.sql'))
      .sort();
    expect(all[0]).toBe(baselineFiles[0]);
  });

  it('defines each function exactly once, with plain create function (no create or replace, no drop)', () => {
    expect(defs.length).toBeGreaterThan(50);
    const seen = new Map<string, number>();
    for (const d of defs) seen.set(d.name, (seen.get(d.name) ?? 0) + 1);
    expect([...seen].filter(([, n]) => n > 1)).toEqual([]);
    expect(defs.filter((d) => d.replace).map((d) => d.name)).toEqual([]);
    expect(sql.replace(/--.*$/gm, '')).not.toMatch(/drop\s+function/i);
  });

  describe('applied alone', () => {
    let db: Db;
    beforeAll(async () => {
      db = await openPglite({ loadDataDir: pgliteTemplate('empty') }); // a fresh PGlite's copy (no initdb)
      await migrate(db, { upTo: '20261201000999' }); // the baseline only (upTo keeps names <= this)
    });
    afterAll(async () => {
      await db?.close();
    });

    it('its definitions are exactly the functions it leaves in public and private (no overloads)', async () => {
      const { rows } = await db.query<{ f: string }>(
        `select n.nspname || '.' || p.proname as f from pg_catalog.pg_proc p
         join pg_catalog.pg_namespace n on n.oid = p.pronamespace
         where n.nspname in ('public', 'private') order by 1`,
      );
      expect(rows.map((r) => r.f)).toEqual(defs.map((d) => d.name).sort());
    });
  });
});

describe('PGlite and PostgreSQL build the same catalogue from supabase/migrations', () => {
  let pglite: TestDb;
  let postgres: TestDb;
  beforeAll(async () => {
    pglite = await openTestDb('pglite');
    postgres = await openTestDb('postgres', { poolSize: 2 });
  });
  afterAll(async () => {
    await pglite?.stop();
    await postgres?.stop();
  });

  it('same fingerprint: functions, tables, columns, constraints, indexes, policies, grants, triggers, publication, rows', async () => {
    const a = await schemaFingerprint(pglite.db);
    const b = await schemaFingerprint(postgres.db);
    expect(a.length).toBeGreaterThan(500);
    expect(a.some((l) => l.startsWith('function | public.save_queue_step('))).toBe(true);
    expect(a.some((l) => l.startsWith('publication | supabase_realtime public.queue_entries'))).toBe(true);
    expect(b).toEqual(a);
  });

  // The comparison above means something only if the fingerprint sees what a migration changes.
  it.each([
    ['a revoked grant', 'revoke execute on function public.get_public_clinic(text) from anon'],
    [
      'a function body',
      `create or replace function private.ticket_label(p_prefix text, p_number integer) returns text
       language sql immutable set search_path = '' as $$ select p_prefix || lpad(p_number::text, 3, '0') $$`,
    ],
    ['a column default', `alter table public.clinics alter column ticket_prefix set default 'B'`],
    ['a policy', 'drop policy queues_select on public.queues'],
    [
      'a zone list copy out of step with the server',
      `delete from private.time_zone_names where name = 'Europe/Paris'`,
    ],
    [
      'a template row',
      `update public.notification_templates set body = 'x' where kind = 'your_turn' and language = 'en'`,
    ],
  ])('the fingerprint sees %s', async (_what, change) => {
    const before = await schemaFingerprint(pglite.db);
    const rollback = new Error('rollback');
    const after = await pglite.db
      .transaction(async (tx) => {
        await tx.exec(change);
        const lines = await schemaFingerprint(tx);
        throw Object.assign(rollback, { lines });
      })
      .catch((e: unknown) => {
        if (e !== rollback) throw e;
        return (e as Error & { lines: string[] }).lines;
      });
    expect(after).not.toEqual(before);
    expect(await schemaFingerprint(pglite.db)).toEqual(before);
  });
});

describe('a database built before the baseline', () => {
  let db: Db;
  let fresh: Db;
  let dir: string;
  beforeAll(async () => {
    db = await openPglite({ loadDataDir: pgliteTemplate('empty') });
    fresh = await openPglite({ loadDataDir: pgliteTemplate('empty') });
    dir = mkdtempSync(join(tmpdir(), 'qm-prebaseline-'));
  });
  afterAll(async () => {
    await db?.close();
    await fresh?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('is refused with DB.PRE_BASELINE before anything is applied', async () => {
    const old = join(dir, 'old');
    const now = join(dir, 'now');
    const shim = join(dir, 'shim');
    for (const d of [old, now, shim]) mkdirSync(d);
    writeFileSync(join(shim, '00_shim.sql'), 'create table if not exists shim_marker (n int);');
    writeFileSync(join(old, '20261124000100_schema.sql'), 'create table old_chain (n int);');
    writeFileSync(join(old, '20261130006002_kiosk_check_in.sql'), 'insert into old_chain values (1);');
    writeFileSync(join(now, '20261201000000_schema.sql'), 'create table old_chain (n int, m int);');
    writeFileSync(join(now, '20261201001001_next.sql'), 'create table after_baseline (n int);');
    const opts = { shimDir: shim, seedFile: join(dir, 'none.sql') };
    await migrate(db, { ...opts, migrationsDir: old });
    writeFileSync(
      join(shim, '00_shim.sql'),
      'create table if not exists shim_marker (n int); create table shim_v2 (n int);',
    );

    const e = await migrate(db, { ...opts, migrationsDir: now }).then(
      () => null,
      (x: unknown) => x,
    );
    expect(e).toBeInstanceOf(PreBaselineDatabaseError);
    expect(e).toMatchObject({
      code: 'DB.PRE_BASELINE',
      baseline: '20261201000000_schema.sql',
      folded: ['20261124000100_schema.sql', '20261130006002_kiosk_check_in.sql'],
    });
    expect((e as Error).message).toMatch(/^DB\.PRE_BASELINE: .*20261201000000_schema\.sql.*fresh database/);
    const { rows } = await db.query<{ name: string }>(
      'select name from queuemed_local.applied_files order by name',
    );
    expect(rows.map((r) => r.name)).toEqual([
      '00_shim.sql',
      '20261124000100_schema.sql',
      '20261130006002_kiosk_check_in.sql',
    ]);
    const tables = await db.query<{ t: string }>(
      `select tablename as t from pg_catalog.pg_tables where tablename in ('shim_v2', 'after_baseline')`,
    );
    expect(tables.rows).toEqual([]);
  });

  it('a database that has the baseline is not refused, and takes later migrations', async () => {
    const now = join(dir, 'now');
    const opts = { shimDir: join(dir, 'shim'), seedFile: join(dir, 'none.sql'), migrationsDir: now };
    expect((await migrate(fresh, opts)).applied).toContain('migration:20261201000000_schema.sql');
    writeFileSync(join(now, '20261201001002_later.sql'), 'create table later (n int);');
    expect((await migrate(fresh, opts)).applied).toEqual(['migration:20261201001002_later.sql']);
  });
});
