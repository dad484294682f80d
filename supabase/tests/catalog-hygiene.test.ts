/**
 * Catalog hygiene on both databases: what makes a Supabase schema safe besides the policies themselves.
 * - every SECURITY DEFINER function pins its search_path;
 * - no function in public is executable by PUBLIC (only the roles granted deliberately);
 * - anon can execute only the public reads;
 * - migrations create nothing Supabase already owns (roles, the auth schema, the realtime publication,
 *   extensions).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SUPABASE_DIR } from '../local/db/migrate';
import { DB_KINDS, openTestDb } from './helpers/testDb';
import type { TestDb } from './helpers/testDb';

describe('migrations create nothing Supabase owns', () => {
  const dir = join(SUPABASE_DIR, 'migrations');
  const sql = readdirSync(dir)
    .filter((f) => f.endsWith('.sql'))
    .map((f) => readFileSync(join(dir, f), 'utf8').replace(/--.*$/gm, ''))
    .join('\n')
    .toLowerCase();

  it.each([
    ['create role', /create\s+role/],
    [
      'the auth schema or its objects',
      /create\s+(schema|table|function|type)\s+(if\s+not\s+exists\s+)?auth\./,
    ],
    ['a publication', /create\s+publication/],
    ['an extension', /create\s+extension/],
    ['a superuser-only setting', /alter\s+system/],
  ])('no %s', (_what, re) => {
    expect(sql).not.toMatch(re);
  });
});

describe.each(DB_KINDS)('catalog hygiene on %s', (kind) => {
  let t: TestDb;
  beforeAll(async () => {
    t = await openTestDb(kind);
  });
  afterAll(async () => {
    await t?.stop();
  });

  it('every SECURITY DEFINER function in public/private pins search_path', async () => {
    const { rows } = await t.db.query<{ fn: string }>(
      `select n.nspname || '.' || p.proname as fn
       from pg_proc p join pg_namespace n on n.oid = p.pronamespace
       where n.nspname in ('public', 'private') and p.prosecdef
         and not exists (select 1 from unnest(coalesce(p.proconfig, '{}')) c where c like 'search_path=%')`,
    );
    expect(rows).toEqual([]);
  });

  it('no public function is executable by PUBLIC, and anon reaches only the public reads', async () => {
    const { rows } = await t.db.query<{ fn: string; pub: boolean; anon: boolean }>(
      `select p.proname as fn,
              exists (select 1 from aclexplode(coalesce(p.proacl, acldefault('f', p.proowner))) a
                      where a.grantee = 0 and a.privilege_type = 'EXECUTE') as pub,
              has_function_privilege('anon', p.oid, 'execute') as anon
       from pg_proc p join pg_namespace n on n.oid = p.pronamespace
       where n.nspname = 'public' order by 1`,
    );
    expect(rows.filter((r) => r.pub).map((r) => r.fn)).toEqual([]);
    expect([...new Set(rows.filter((r) => r.anon).map((r) => r.fn))].sort()).toEqual([
      'get_board_branding', // board20: the board's logo and colours (what a public board shows)
      'get_clinic_clock',
      'get_fluid_days', // issue 17: a fluid visit type's days with places left
      'get_free_slots',
      'get_kiosk', // kiosk17: the paired kiosk's own clinic, by its device token
      'get_public_clinic',
      'get_queue_day_status',
      'get_remote_join', // issue 17: whether a clinic takes remote joins
      'get_tracker_view',
      'get_visit_live',
      'get_visit_running_late',
      'get_visit_status',
      'get_waiting_board',
      'kiosk_check_in', // kiosk17: by the kiosk's device token (ticket + last 4 phone digits, attempt-limited)
      'kiosk_register_walk_in', // kiosk17f: by the kiosk's device token (the clinic's walk-in rules, 10 per 10 min)
      'push_subscribe', // issue 20: web push opt-in by the visit's tracking link
      'push_unsubscribe',
      'redeem_kiosk_pairing_code', // kiosk17f: a staff member's short-lived code → a kiosk device token (capped)
      'report_running_late',
      'search_clinic_directory', // dir20: the public clinic directory (listed clinics' public columns, capped pages)
      'withdraw_running_late',
    ]);
  });

  it('the queue tables are in the supabase_realtime publication', async () => {
    const { rows } = await t.db.query<{ tablename: string }>(
      `select tablename from pg_publication_tables where pubname = 'supabase_realtime' and schemaname = 'public' order by 1`,
    );
    expect(rows.map((r) => r.tablename)).toEqual([
      'queue_entries',
      'queue_events',
      'queue_turn_releases',
      'queues',
      'waiting_boards',
    ]);
  });
});
