/**
 * The checks every queue command and every Realtime delivery runs are PL/pgSQL (issue 12, session 20,
 * 20261220600001): a `language sql` function that is security definer or pins its search_path is never inlined,
 * so PostgreSQL planned its body again for every statement that called it — the membership check behind every
 * `require_staff` and every Realtime re-select of a queue row (queues policy → can_read_queue → is_clinic_staff →
 * is_clinic_member) was ≈ 90 % planning. A PL/pgSQL body is prepared once per connection. What each answers is
 * unchanged (checked here for each actor of the world), on PGlite and PostgreSQL.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DbTx } from '../local/db/types';
import { DB_KINDS, openTestDb, type TestDb } from './helpers/testDb';
import { claimsOf, type Actor } from './helpers/sql';
import { ACTORS, ID, U, createWorld } from './helpers/world';

const HOT = [
  'private.is_clinic_member(uuid,public.member_role[])',
  'private.is_clinic_staff(uuid)',
  'private.is_clinic_admin(uuid)',
  'private.is_clinic_owner(uuid)',
  'private.is_own_patient(uuid)',
  'private.is_service()',
  'private.can_read_queue(uuid,uuid)',
  'private.clinic_today(text)',
  'private.effective_settings(jsonb)',
  'private.queue_turn_holder(uuid,integer)',
  'private.turn_releases(uuid)',
  'private.queue_turn_token(uuid,uuid)',
  'private.queue_turn_lifetime()',
  'private.queue_turn_lease_ms()',
  // sec21: every board and kiosk key lookup (20261221700001)
  'private.may_pair_devices(uuid,uuid)',
  'private.paired_device(text,text)',
];

describe.each(DB_KINDS)('hot checks on %s', (kind) => {
  let t: TestDb;
  beforeAll(async () => {
    t = await openTestDb(kind);
    await createWorld(t.db);
  });
  afterAll(async () => {
    await t?.stop();
  });

  it('are PL/pgSQL, so their plans are prepared once per connection, not once per calling statement', async () => {
    const { rows } = await t.db.query<{ fn: string; lang: string; secdef: boolean; volatility: string }>(
      `select f as fn, l.lanname as lang, p.prosecdef as secdef, p.provolatile as volatility
         from unnest($1::text[]) f
         join pg_catalog.pg_proc p on p.oid = f::regprocedure
         join pg_catalog.pg_language l on l.oid = p.prolang
        order by 1`,
      [HOT],
    );
    expect(rows.map((r) => `${r.fn}: ${r.lang}`)).toEqual([...HOT].sort().map((f) => `${f}: plpgsql`));
  });

  /** The checks' answers with the actor's claims (as the superuser: the functions' grants are not the point). */
  const answers = (actor: Actor) =>
    t.db.transaction(async (tx: DbTx) => {
      await tx.query(`select set_config('request.jwt.claims', $1, true)`, [JSON.stringify(claimsOf(actor))]);
      const { rows } = await tx.query<Record<string, boolean>>(
        `select private.is_clinic_staff($1) as staff_a, private.is_clinic_staff($2) as staff_b,
                private.is_clinic_admin($1) as admin_a, private.is_clinic_owner($1) as owner_a,
                private.is_clinic_member($1, array['practitioner']::public.member_role[]) as pract_a,
                private.is_own_patient($3) as own_rec_a, private.is_service() as service,
                private.can_read_queue($1, $4) as read_queue_a, private.can_read_queue($1, $5) as read_queue_a1`,
        [ID.clinicA, ID.clinicB, ID.patientRecA, ID.queueA, ID.queueA1],
      );
      return rows[0];
    });

  it('answer as before for staff, other clinics, patients, anon and the service role', async () => {
    const no = {
      staff_a: false,
      staff_b: false,
      admin_a: false,
      owner_a: false,
      pract_a: false,
      own_rec_a: false,
      service: false,
      read_queue_a: false,
      read_queue_a1: false,
    };
    expect(await answers(ACTORS.ownerA)).toEqual({
      ...no,
      staff_a: true,
      admin_a: true,
      owner_a: true,
      read_queue_a: true,
      read_queue_a1: true,
    });
    expect(await answers(ACTORS.recepA)).toEqual({
      ...no,
      staff_a: true,
      read_queue_a: true,
      read_queue_a1: true,
    });
    expect(await answers(ACTORS.practA)).toEqual({
      ...no,
      staff_a: true,
      pract_a: true,
      read_queue_a: true,
      read_queue_a1: true,
    });
    expect(await answers(ACTORS.ownerB)).toEqual({ ...no, staff_b: true });
    // patient A: their own record, a visit today and tomorrow; patient B: a visit today only
    expect(await answers(ACTORS.patientA)).toEqual({
      ...no,
      own_rec_a: true,
      read_queue_a: true,
      read_queue_a1: true,
    });
    expect(await answers(ACTORS.patientB)).toEqual({ ...no, read_queue_a: true });
    expect(await answers(ACTORS.anon)).toEqual(no);
    expect(await answers(ACTORS.service)).toEqual({ ...no, service: true });
  });

  it('the turn helpers and settings answer as their SQL bodies did', async () => {
    const q = ID.queueA;
    const c = 'c1000000-0000-4000-8000-000000000001';
    const { rows } = await t.db.query<{
      same_token: boolean;
      same_settings: boolean;
      lease: number;
      releases: number;
    }>(
      `select private.queue_turn_token($1, $2)
                = ('x' || substr(md5($1::text || ':' || $2::text), 1, 13))::bit(52)::bigint as same_token,
              private.effective_settings('{"grace_period_minutes": 7}'::jsonb)
                = private.clinic_settings_defaults() || '{"grace_period_minutes": 7}'::jsonb
                and private.effective_settings(null) = private.clinic_settings_defaults() as same_settings,
              private.queue_turn_lease_ms() as lease,
              private.turn_releases($1) as releases`,
      [q, c],
    );
    expect(rows[0]).toEqual({ same_token: true, same_settings: true, lease: 10_000, releases: 0 });
    const { rows: today } = await t.db.query<{ same: boolean }>(
      `select private.clinic_today('Africa/Casablanca') = (private.now() at time zone 'Africa/Casablanca')::date as same`,
    );
    expect(today[0]?.same).toBe(true);
    // nobody holds a queue without a live claim at its version
    const { rows: holder } = await t.db.query<{ h: string | null }>(
      `select private.queue_turn_holder($1, (select version from public.queues where id = $1)) as h`,
      [q],
    );
    expect(holder[0]?.h).toBeNull();
  });

  it('sec21: who may pair devices, and the key lookup, answer as their SQL bodies did', async () => {
    const { rows } = await t.db.query<Record<string, boolean>>(
      `select private.may_pair_devices($1, $3) as owner_a, private.may_pair_devices($1, $4) as recep_a,
              private.may_pair_devices($1, $5) as pract_a, private.may_pair_devices($1, $6) as owner_b_in_a,
              private.may_pair_devices($2, $6) as owner_b, private.may_pair_devices($1, null) as nobody,
              private.may_pair_devices(null, $3) as no_clinic`,
      [ID.clinicA, ID.clinicB, U.ownerA, U.recepA, U.practA, U.ownerB],
    );
    expect(rows[0]).toEqual({
      owner_a: true,
      recep_a: true,
      pract_a: false,
      owner_b_in_a: false,
      owner_b: true,
      nobody: false,
      no_clinic: false,
    });
    const key = 'sec21-board-key-0123456789abcdef0123456789';
    const lookup = async () =>
      (
        await t.db.query<{
          found: boolean;
          same_clinic: boolean;
          miss: boolean;
          short: boolean;
          kiosk: boolean;
        }>(
          `select (private.paired_device($1, 'board')).id is not null as found,
                  (private.paired_device($1, 'board')).clinic_id = $2 as same_clinic,
                  (private.paired_device($1 || 'x', 'board')).id is null as miss,
                  (private.paired_device('short', 'board')).id is null
                    and (private.paired_device(null, 'board')).id is null as short,
                  (private.paired_device($1, 'kiosk')).id is not null as kiosk`,
          [key, ID.clinicA],
        )
      ).rows[0];
    await t.db.transaction(async (tx: DbTx) => {
      await tx.query(
        `insert into public.kiosk_devices (clinic_id, kind, label, token_hash, paired_by)
         values ($1, 'board', 'TV', private.hash_token($2), $3)`,
        [ID.clinicA, key, U.recepA],
      );
    });
    expect(await lookup()).toEqual({ found: true, same_clinic: true, miss: true, short: true, kiosk: false });
    // its pairer is no longer staff who may pair: the key opens nothing (L2), the row is left as it is
    await t.db.transaction(async (tx: DbTx) => {
      await tx.query(`alter table public.clinic_members disable trigger devices_revoke_with_pairer`);
      await tx.query(`update public.clinic_members set role = 'practitioner' where id = $1`, [
        ID.memberRecepA,
      ]);
    });
    expect((await lookup())?.found).toBe(false);
    await t.db.transaction(async (tx: DbTx) => {
      await tx.query(`update public.clinic_members set role = 'receptionist' where id = $1`, [
        ID.memberRecepA,
      ]);
      await tx.query(`alter table public.clinic_members enable trigger devices_revoke_with_pairer`);
      await tx.query(`delete from public.kiosk_devices where token_hash = private.hash_token($1)`, [key]);
    });
  });
});
