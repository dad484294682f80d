/**
 * One clock for the database (issue 11): every time rule reads private.now(), the clock tests pin
 * (private.pinned_clock), never the wall clock directly. Checked on the catalogue of both databases, so a
 * later migration that re-creates a function from an older text (with `now()`) fails here:
 * - no function body in public/private (except private.now itself) calls now(), clock_timestamp(),
 *   statement_timestamp(), transaction_timestamp(), timeofday(), current_date, current_time,
 *   current_timestamp, localtime, localtimestamp or 'now'::… (a JSON key 'now' is fine);
 * - no column default, policy or view in public/private does either;
 * - and, so the check means something, it does see a function or a default that reads the wall clock, and a
 *   pinned clock does reach a default and a trigger.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db, DbTx } from '../local/db/types';
import { DB_KINDS, openTestDb } from './helpers/testDb';
import type { TestDb } from './helpers/testDb';

/** A direct read of the wall clock in SQL text (comments removed first), also as pg_catalog.now(); `private.now(` is not one. */
const WALL_CLOCK =
  String.raw`(^|[^[:alnum:]_.]|pg_catalog\.)(now|clock_timestamp|statement_timestamp|transaction_timestamp|timeofday)\s*\(` +
  String.raw`|\m(current_date|current_time|current_timestamp|localtime|localtimestamp)\M` +
  String.raw`|'now'\s*::|\m(date|timestamp|timestamptz)\s+'now'`;

const stripComments = (expr: string) => `regexp_replace(${expr}, '--[^\n]*', '', 'g')`;

const wallClockReaders = async (db: DbTx): Promise<string[]> => {
  const { rows } = await db.query<{ what: string }>(
    `select 'function ' || n.nspname || '.' || p.proname as what
     from pg_catalog.pg_proc p join pg_catalog.pg_namespace n on n.oid = p.pronamespace
     where n.nspname in ('public', 'private')
       and p.oid <> 'private.now()'::pg_catalog.regprocedure
       and ${stripComments('p.prosrc')} ~* $1
     union all
     select 'default ' || c.relnamespace::regnamespace::text || '.' || c.relname || '.' || a.attname
     from pg_catalog.pg_attrdef d
     join pg_catalog.pg_class c on c.oid = d.adrelid
     join pg_catalog.pg_attribute a on a.attrelid = d.adrelid and a.attnum = d.adnum
     where c.relnamespace::regnamespace::text in ('public', 'private')
       and pg_catalog.pg_get_expr(d.adbin, d.adrelid) ~* $1
     union all
     select 'policy ' || schemaname || '.' || tablename || '.' || policyname
     from pg_catalog.pg_policies
     where schemaname in ('public', 'private')
       and (coalesce(qual, '') ~* $1 or coalesce(with_check, '') ~* $1)
     union all
     select 'view ' || schemaname || '.' || viewname
     from pg_catalog.pg_views
     where schemaname in ('public', 'private') and definition ~* $1
     order by 1`,
    [WALL_CLOCK],
  );
  return rows.map((r) => r.what);
};

/** Runs `sql` in a transaction that is always rolled back, and returns what `read` saw inside it. */
const inRolledBack = async <T>(db: Db, sql: string, read: (tx: DbTx) => Promise<T>): Promise<T> => {
  const rollback = new Error('rollback');
  return db
    .transaction(async (tx) => {
      await tx.exec(sql);
      throw Object.assign(rollback, { seen: await read(tx) });
    })
    .catch((e: unknown) => {
      if (e !== rollback) throw e;
      return (e as Error & { seen: T }).seen;
    });
};

describe.each(DB_KINDS)('one clock: private.now() on %s', (kind) => {
  let t: TestDb;
  beforeAll(async () => {
    t = await openTestDb(kind, { poolSize: 2 });
  });
  afterAll(async () => {
    await t?.stop();
  });

  it('no function body, column default, policy or view in public/private reads the wall clock', async () => {
    expect(await wallClockReaders(t.db)).toEqual([]);
  });

  it.each([
    [
      'a function calling now()',
      `create or replace function private.touch_updated_at() returns trigger language plpgsql
       set search_path = '' as $$ begin new.updated_at := now(); return new; end $$`,
      'function private.touch_updated_at',
    ],
    [
      'a function reading current_date',
      `create function private.clock_probe() returns date language sql as $$ select current_date $$`,
      'function private.clock_probe',
    ],
    [
      'a function calling clock_timestamp()',
      `create function public.clock_probe() returns timestamptz language sql as $$ select pg_catalog.clock_timestamp() $$`,
      'function public.clock_probe',
    ],
    [
      'a column default of now()',
      'alter table public.queue_events alter column occurred_at set default now()',
      'default public.queue_events.occurred_at',
    ],
    [
      'a column default of current_timestamp',
      'alter table public.clinics alter column created_at set default current_timestamp',
      'default public.clinics.created_at',
    ],
  ])('the check sees %s', async (_what, change, expected) => {
    expect(await inRolledBack(t.db, change, wallClockReaders)).toEqual([expected]);
  });

  it('ignores private.now() and a comment that mentions now()', async () => {
    const seen = await inRolledBack(
      t.db,
      `create function private.clock_probe() returns timestamptz language sql
       as $$ -- not now(), the pinnable clock
       select private.now() $$`,
      wallClockReaders,
    );
    expect(seen).toEqual([]);
  });

  it('a pinned clock reaches column defaults and the updated_at trigger', async () => {
    const pinned = '2031-03-04T05:06:07.000Z';
    const seen = await inRolledBack(
      t.db,
      `insert into private.pinned_clock (at) values ('${pinned}');
       insert into public.clinics (slug, name) values ('clock-probe', 'Clock probe');
       update public.clinics set name = 'Clock probe 2' where slug = 'clock-probe';`,
      async (tx) =>
        (
          await tx.query<{ created: string; updated: string }>(
            `select to_char(created_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') as created,
                    to_char(updated_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') as updated
             from public.clinics where slug = 'clock-probe'`,
          )
        ).rows,
    );
    expect(seen).toEqual([{ created: pinned, updated: pinned }]);
  });
});
