/** supabase/seed.sql applies on both databases and gives a usable demo (logins, split day, live queue). */
import bcrypt from 'bcryptjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrate } from '../local/db/migrate';
import { DB_KINDS, openTestDb } from './helpers/testDb';
import type { TestDb } from './helpers/testDb';
import { rpc } from './helpers/sql';
import type { Actor } from './helpers/sql';

const CLINIC = '11111111-1111-4111-8111-111111111111';
const PASSWORD = 'QueueMed-demo-2026';
const user = (sub: string): Actor => ({ name: sub, role: 'authenticated', sub });
const OWNER = user('11111111-0000-4000-8000-000000000001');
const NADIA = user('11111111-0000-4000-8000-000000000004');
const AMINE = user('11111111-0000-4000-8000-000000000005');

describe.each(DB_KINDS)('seed on %s', (kind) => {
  let t: TestDb;
  beforeAll(async () => {
    t = await openTestDb(kind, { seed: true });
  });
  afterAll(async () => {
    await t?.stop();
  });

  it('documents working logins: bcrypt hashes of the demo password', async () => {
    const { rows } = await t.db.query<{ email: string; encrypted_password: string }>(
      `select email, encrypted_password from auth.users order by email`,
    );
    expect(rows.map((r) => r.email)).toEqual([
      'accueil@demo.queuemed.ma',
      'julien.martin@demo.queuemed.ma',
      'owner@demo.queuemed.ma',
      'patient@demo.queuemed.ma',
      'salma.benali@demo.queuemed.ma',
    ]);
    for (const r of rows) expect(bcrypt.compareSync(PASSWORD, r.encrypted_password)).toBe(true);
    const roles = await t.db.query<{ role: string; n: number }>(
      `select role::text, count(*)::int as n from public.clinic_members where clinic_id = $1 group by 1 order by 1`,
      [CLINIC],
    );
    expect(roles.rows).toEqual([
      { role: 'owner', n: 1 },
      { role: 'practitioner', n: 2 },
      { role: 'receptionist', n: 1 },
    ]);
  });

  it('a split working day Monday–Friday and Saturday morning in Africa/Casablanca', async () => {
    const { rows } = await t.db.query<{ weekday: number; s: string; e: string }>(
      `select weekday, to_char(starts_at, 'HH24:MI') as s, to_char(ends_at, 'HH24:MI') as e
       from public.working_hours where clinic_id = $1 order by weekday, starts_at`,
      [CLINIC],
    );
    expect(rows.filter((r) => r.weekday === 3)).toEqual([
      { weekday: 3, s: '09:00', e: '13:00' },
      { weekday: 3, s: '15:00', e: '19:00' },
    ]);
    expect(rows.filter((r) => r.weekday === 6)).toEqual([{ weekday: 6, s: '09:00', e: '13:00' }]);
    expect(rows.filter((r) => r.weekday === 0)).toEqual([]);
  });

  it("today's queue is live for staff; the patient sees only their own visit; the board hides phones", async () => {
    const q = await rpc<{ entries: { patient: { full_name: string } }[]; queue: { day: string } }>(
      t.db,
      NADIA,
      'get_queue',
      { p_clinic_id: CLINIC },
    );
    expect(q.entries).toHaveLength(10);
    expect(q.entries.some((e) => /[\u0600-\u06FF]/.test(e.patient.full_name))).toBe(true);
    const mine = await t.db.transaction(async (tx) => {
      await tx.query(
        `select set_config('request.jwt.claims', $1, true), set_config('role', 'authenticated', true)`,
        [JSON.stringify({ sub: AMINE.sub, role: 'authenticated' })],
      );
      return (await tx.query('select id from public.queue_entries')).rows;
    });
    expect(mine).toHaveLength(1);
    const board = await rpc<{ now_serving: unknown[]; next: unknown[] }>(
      t.db,
      { name: 'anon', role: 'anon' },
      'get_waiting_board',
      { p_clinic_id: CLINIC },
    );
    expect(board.now_serving.length).toBe(2);
    expect(JSON.stringify(board)).not.toContain('+2126');
    const visit = await rpc<{ status: string }>(t.db, { name: 'anon', role: 'anon' }, 'get_visit_status', {
      p_tracking_token: 'demo-visit-amine',
    });
    expect(visit.status).toBe('waiting');
    const report = await rpc<{ limit_count: number }>(t.db, OWNER, 'sms_budget_report', {
      p_clinic_id: CLINIC,
    });
    expect(report.limit_count).toBe(500);
  });

  it('is applied once', async () => {
    expect((await migrate(t.db, { seed: true })).applied).toEqual([]);
  });
});
