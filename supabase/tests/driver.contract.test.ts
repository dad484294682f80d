/** The Db port's contract: both drivers behave the same (types, transactions, errors, LISTEN, migrator). */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrate, MigrationChangedError } from '../local/db/migrate';
import { openPgliteWorker } from '../local/db/pgliteWorker';
import type { DbError } from '../local/db/types';
import { DB_KINDS, openTestDb, zoneDirOf } from './helpers/testDb';
import type { TestDb } from './helpers/testDb';
import { pgliteTemplate } from '../../test/fixtures/dbTemplate';
import { zoneOffsetAt } from '../local/db/zoneData';

const caught = async (p: Promise<unknown>): Promise<DbError> => {
  try {
    await p;
  } catch (e) {
    return e as DbError;
  }
  throw new Error('expected the statement to fail');
};

/** Both drivers, and PGlite also in its worker thread (what the stack runs: pgliteWorker.ts). */
const VARIANTS = [
  ...DB_KINDS.map((kind) => ({ name: kind, kind, open: () => openTestDb(kind, { migrate: false }) })),
  {
    name: 'pglite in a worker thread',
    kind: 'pglite' as const,
    open: async (): Promise<TestDb> => {
      const db = await openPgliteWorker({ loadDataDir: pgliteTemplate('empty') }); // a fresh PGlite's copy
      return { db, kind: 'pglite', stop: () => db.close() };
    },
  },
];

describe.each(VARIANTS)('Db driver contract on $name', ({ kind, open }) => {
  let t: TestDb;
  beforeAll(async () => {
    t = await open();
  });
  afterAll(async () => {
    await t?.stop();
  });

  it('reports its kind', () => {
    expect(t.db.kind).toBe(kind);
  });

  it("converts instants to the clinic's zone as the zone files it was given say (Morocco: not PGlite's own rules)", async () => {
    // One instant a month from 2026 to 2030, the 2026 Ramadan clock changes and Morocco's move to +00 on
    // 2026-09-20 (tzdata 2026c+). The oracle is the zone file the driver reads — PGlite: QUEUEMED_ZONEINFO or
    // /usr/share/zoneinfo (pgliteTimeZones.ts); PostgreSQL: /usr/share/zoneinfo (Debian builds it
    // --with-system-tzdata) — not Node's ICU, whose rules are of another release.
    const instants: string[] = [
      '2026-02-15T01:59:00Z',
      '2026-02-15T02:00:00Z',
      '2026-03-22T01:59:00Z',
      '2026-03-22T02:00:00Z',
      '2026-09-20T00:59:00Z',
      '2026-09-20T01:00:00Z',
    ];
    for (let y = 2026; y <= 2030; y++)
      for (let m = 1; m <= 12; m++) instants.push(`${y}-${String(m).padStart(2, '0')}-20T12:00:00Z`);
    const dir = zoneDirOf(kind);
    const local = (i: string) =>
      new Date(Date.parse(i) + zoneOffsetAt(dir, 'Africa/Casablanca', i) * 60_000)
        .toISOString()
        .slice(0, 19)
        .replace('T', ' ');
    const { rows } = await t.db.query<{ at: string; local: string }>(
      `select i::text as at, to_char(i::timestamptz at time zone 'Africa/Casablanca', 'YYYY-MM-DD HH24:MI:SS') as local
         from unnest($1::text[]) as i`,
      [instants],
    );
    expect(rows.map((r) => r.local)).toEqual(instants.map(local));
    // the rules every release since 2022 shares: +01, and +00 during Ramadan 2026 (15 Feb – 22 Mar)
    expect(rows.slice(0, 4).map((r) => r.local)).toEqual([
      '2026-02-15 02:59:00',
      '2026-02-15 02:00:00',
      '2026-03-22 01:59:00',
      '2026-03-22 03:00:00',
    ]);
  });

  it('normalises value types the same way on both drivers', async () => {
    const { rows } = await t.db.query(
      `select 42::int8 as i8, 7::int4 as i4, 1.50::numeric as num, '2026-03-01'::date as d,
              '1 hour'::interval as iv, '2026-03-01T10:00:00Z'::timestamptz as ts,
              '{"a":[1,"x"]}'::jsonb as j, array[1,2]::int[] as arr, true as b, null::text as n,
              'مرحبا 👋'::text as t`,
    );
    expect(rows).toEqual([
      {
        i8: 42,
        i4: 7,
        num: '1.50',
        d: '2026-03-01',
        iv: '01:00:00',
        ts: new Date('2026-03-01T10:00:00Z'),
        j: { a: [1, 'x'] },
        arr: [1, 2],
        b: true,
        n: null,
        t: 'مرحبا 👋',
      },
    ]);
  });

  it('binds parameters, including jsonb objects', async () => {
    const { rows } = await t.db.query<{ a: string; j: unknown }>('select $1::text as a, $2::jsonb as j', [
      "O'Brien; drop table x --",
      { k: 'v' },
    ]);
    expect(rows[0]).toEqual({ a: "O'Brien; drop table x --", j: { k: 'v' } });
  });

  it('reports affected rows and runs multi-statement exec', async () => {
    await t.db.exec(
      'create table contract_t (id int primary key, v text); insert into contract_t values (1, $$a$$);',
    );
    const r = await t.db.query('update contract_t set v = $1 where id = 1', ['b']);
    expect(r.affectedRows).toBe(1);
  });

  it('commits a transaction that resolves and rolls back one that throws, re-throwing unchanged', async () => {
    await t.db.transaction(async (tx) => {
      await tx.query('insert into contract_t values (2, $1)', ['committed']);
    });
    const boom = new Error('boom');
    const err = await t.db
      .transaction(async (tx) => {
        await tx.query('insert into contract_t values (3, $1)', ['rolled back']);
        throw boom;
      })
      .catch((e: unknown) => e);
    expect(err).toBe(boom);
    const { rows } = await t.db.query<{ id: number }>('select id from contract_t order by id');
    expect(rows.map((r) => r.id)).toEqual([1, 2]);
  });

  it('maps SQL errors to DbError with SQLSTATE, detail and hint', async () => {
    const e = await caught(
      t.db.exec(
        `do $$ begin raise exception using errcode = 'PT409', message = 'QUEUE.VERSION_CONFLICT',
           detail = 'stale', hint = 'reload'; end $$`,
      ),
    );
    expect(e).toBeInstanceOf(Error);
    expect({ code: e.code, message: e.message, detail: e.detail, hint: e.hint }).toEqual({
      code: 'PT409',
      message: 'QUEUE.VERSION_CONFLICT',
      detail: 'stale',
      hint: 'reload',
    });
    const dup = await caught(t.db.query('insert into contract_t values (1, $1)', ['dup']));
    expect(dup.code).toBe('23505');
  });

  it('keeps SET LOCAL inside its transaction', async () => {
    const inside = await t.db.transaction(async (tx) => {
      await tx.exec(`set local application_name = 'inside'`);
      return (await tx.query<{ a: string }>(`select current_setting('application_name') as a`)).rows[0]?.a;
    });
    expect(inside).toBe('inside');
    const after = (await t.db.query<{ a: string }>(`select current_setting('application_name') as a`)).rows[0]
      ?.a;
    expect(after).not.toBe('inside');
  });

  it('serialises/isolates concurrent transactions (no interleaving of uncommitted state)', async () => {
    await t.db.exec('create table contract_c (n int not null)');
    await t.db.exec('insert into contract_c values (0)');
    await Promise.all(
      Array.from({ length: 8 }, () =>
        t.db.transaction(async (tx) => {
          const { rows } = await tx.query<{ n: number }>('select n from contract_c for update');
          await tx.query('update contract_c set n = $1', [(rows[0]?.n ?? 0) + 1]);
        }),
      ),
    );
    const { rows } = await t.db.query<{ n: number }>('select n from contract_c');
    expect(rows[0]?.n).toBe(8);
  });

  it('delivers NOTIFY to listeners after commit, and stops after unsubscribe', async () => {
    const got: string[] = [];
    let resolveFirst!: () => void;
    const first = new Promise<void>((r) => (resolveFirst = r));
    const unlisten = await t.db.listen('contract_ch', (p) => {
      got.push(p);
      resolveFirst();
    });
    await t.db.transaction(async (tx) => {
      await tx.query(`select pg_notify('contract_ch', $1)`, ['hello']);
    });
    await first;
    expect(got).toEqual(['hello']);
    await unlisten();
    await t.db.query(`select pg_notify('contract_ch', 'after')`);
    // a round-trip after the notify: any delivery would have happened by now
    await t.db.query('select 1');
    expect(got).toEqual(['hello']);
  });

  it('migrator applies files in order once, only new ones later, and refuses a changed migration', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'qm-mig-'));
    try {
      const mig = join(dir, 'migrations');
      const shim = join(dir, 'shim');
      const { mkdirSync } = await import('node:fs');
      mkdirSync(mig);
      mkdirSync(shim);
      writeFileSync(join(shim, '00_shim.sql'), 'create schema if not exists contract_shim;');
      writeFileSync(join(mig, '0002_b.sql'), 'insert into contract_m values (2);');
      writeFileSync(join(mig, '0001_a.sql'), 'create table contract_m (n int);');
      const opts = { migrationsDir: mig, shimDir: shim, seedFile: join(dir, 'none.sql') };
      const first = await migrate(t.db, opts);
      expect(first.applied).toEqual(['shim:00_shim.sql', 'migration:0001_a.sql', 'migration:0002_b.sql']);
      expect((await migrate(t.db, opts)).applied).toEqual([]);
      writeFileSync(join(mig, '0003_c.sql'), 'insert into contract_m values (3);');
      expect((await migrate(t.db, opts)).applied).toEqual(['migration:0003_c.sql']);
      const { rows } = await t.db.query<{ n: number }>('select n from contract_m order by n');
      expect(rows.map((r) => r.n)).toEqual([2, 3]);
      writeFileSync(join(mig, '0004_bad.sql'), 'insert into contract_m values (4); select 1/0;');
      await expect(migrate(t.db, opts)).rejects.toMatchObject({ code: '22012' });
      expect((await t.db.query('select n from contract_m where n = 4')).rows).toEqual([]);
      writeFileSync(join(mig, '0004_bad.sql'), 'insert into contract_m values (4);');
      writeFileSync(join(mig, '0001_a.sql'), 'create table contract_m (n int, extra int);');
      await expect(migrate(t.db, opts)).rejects.toBeInstanceOf(MigrationChangedError);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('PGlite persisted in a data folder', () => {
  it('keeps data across reopen, and a later start applies nothing already applied', async () => {
    const { openDb } = await import('../local/db/index');
    const dir = mkdtempSync(join(tmpdir(), 'qm-pglite-'));
    try {
      const first = await openDb({ dataDir: dir, useEnv: false });
      expect(first.kind).toBe('pglite');
      const applied = await migrate(first, { seed: true });
      expect(applied.applied.length).toBeGreaterThan(3);
      await first.exec(`insert into public.closed_dates (clinic_id, day, reason)
                        select id, date '2030-01-01', 'persisted' from public.clinics limit 1`);
      await first.close();
      const second = await openDb({ dataDir: dir, useEnv: false });
      expect((await migrate(second, { seed: true })).applied).toEqual([]);
      const { rows } = await second.query(`select reason from public.closed_dates where day = '2030-01-01'`);
      expect(rows).toEqual([{ reason: 'persisted' }]);
      await second.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    // every migration from scratch on PGlite, twice opened: 15 s on a quiet machine, 60+ s at load 25
  }, 300_000);
});
