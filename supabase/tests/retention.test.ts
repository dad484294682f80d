/**
 * Retention and erasure (issue 19, 20261203600002_retention_erasure.sql) on PGlite and PostgreSQL: an owner
 * erases a patient on request — the record keeps no name, phone or account, the SMS sent to them lose
 * recipient and body, visits still ahead are cancelled, the erasure is in the audit trail — and the reports
 * of the month add up exactly as before; the retention job anonymises patients whose every visit is older
 * than the clinic's period (the clock pinned: nothing depends on today). Owners only; bad input coded.
 * Every call is rolled back.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DbTx } from '../local/db/types';
import { MONTH } from './helpers/reportMonth';
import { becomeActor, resetActor, rpcSql, tryAsActor } from './helpers/sql';
import type { Actor, Outcome } from './helpers/sql';
import { DB_KINDS, openTestDb } from './helpers/testDb';
import type { TestDb } from './helpers/testDb';
import { ACTORS, ID, PHONES } from './helpers/world';

const OCT = { p_clinic_id: ID.clinicA, p_from: '2025-10-01', p_to: '2025-10-31' };
/** SMS to Amina (patient A) about her October visit, and to the walk-in. */
const SMS = `
  insert into public.notifications (clinic_id, entry_id, kind, channel, recipient, body, idempotency_key, status, segments, cost, created_at) values
    ('${ID.clinicA}', 'a5000000-0000-4000-8000-0000000000e2', 'your_turn', 'sms', '${PHONES.patientA}', 'Amina, your turn', 'ret-1', 'sent', 1, 0.5, timestamptz '2025-10-06 09:40+01'),
    ('${ID.clinicA}', null, 'booking_confirmed', 'sms', '${PHONES.patientA}', 'Amina, booked', 'ret-2', 'sent', 1, 0.5, timestamptz '2025-10-05 09:00+01'),
    ('${ID.clinicA}', 'a5000000-0000-4000-8000-0000000000e1', 'your_turn', 'sms', '+212600000099', 'Walk In, your turn', 'ret-3', 'sent', 1, 0.5, timestamptz '2025-10-06 09:10+01');
`;

describe.each(DB_KINDS)('retention and erasure on %s', (kind) => {
  let t: TestDb;
  beforeAll(async () => {
    t = await openTestDb(kind);
    const { createWorld } = await import('./helpers/world');
    await createWorld(t.db);
  }, 300_000);
  afterAll(async () => {
    await t?.stop();
  });

  const as = async <T>(tx: DbTx, actor: Actor, fn: string, args: Record<string, unknown>): Promise<T> => {
    await becomeActor(tx, actor);
    const { sql, params } = rpcSql(fn, args);
    const r = (await tx.query<{ r: T }>(sql, params)).rows[0]?.r as T;
    await resetActor(tx);
    return r;
  };
  const inMonth = async <T>(fn: (tx: DbTx) => Promise<T>): Promise<T> => {
    const o = await tryAsActor(
      t.db,
      ACTORS.ownerA,
      async (tx) => {
        await resetActor(tx);
        return fn(tx);
      },
      async (tx) => void (await tx.exec(MONTH + SMS)),
    );
    if (!o.ok) throw new Error(`${o.code} ${o.message}`);
    return o.value;
  };
  const call = (actor: Actor, fn: string, args: Record<string, unknown>): Promise<Outcome<unknown>> =>
    tryAsActor(
      t.db,
      actor,
      async (tx) => {
        const { sql, params } = rpcSql(fn, args);
        return (await tx.query(sql, params)).rows[0];
      },
      async (tx) => void (await tx.exec(MONTH + SMS)),
    );
  const codeOf = (o: Outcome<unknown>) =>
    o.ok ? 'ok' : o.code.startsWith('PT') ? `${o.code} ${o.message}` : o.code;

  it('erasing a patient: no name, phone or account left, SMS emptied, future visits cancelled, reports unchanged', async () => {
    const r = await inMonth(async (tx) => {
      const before = await as(tx, ACTORS.ownerA, 'report_visits', {
        ...OCT,
        p_period: 'day',
        p_by: 'practitioner',
      });
      const erased = await as(tx, ACTORS.ownerA, 'erase_patient', {
        p_patient_id: ID.patientRecA,
        p_reason: 'asked by phone',
      });
      const after = await as(tx, ACTORS.ownerA, 'report_visits', {
        ...OCT,
        p_period: 'day',
        p_by: 'practitioner',
      });
      const patient = (
        await tx.query(
          `select full_name, phone, user_id, anonymised_at is not null as anonymised from public.patients where id = $1`,
          [ID.patientRecA],
        )
      ).rows[0];
      const phoneLeft = (
        await tx.query<{ n: number }>(
          `select (select count(*) from public.notifications where recipient = $1 or body like '%Amina%')::int
                + (select count(*) from public.patients where phone = $1 and clinic_id = $2)::int as n`,
          [PHONES.patientA, ID.clinicA],
        )
      ).rows[0]!.n;
      const otherSms = (
        await tx.query<{ recipient: string | null }>(
          `select recipient from public.notifications where idempotency_key = 'ret-3'`,
        )
      ).rows[0]!.recipient;
      const ahead = (
        await tx.query<{ status: string }>(
          `select status from public.queue_entries where id = any($1) order by id`,
          [[ID.entryA, ID.entryA1]],
        )
      ).rows.map((x) => x.status);
      const audit = (
        await tx.query(
          `select kind, actor_id, reason from public.audit_log where clinic_id = $1 and kind = 'patient_erased'`,
          [ID.clinicA],
        )
      ).rows;
      const myAccess = await as(tx, ACTORS.patientA, 'get_my_record_access', {});
      return { before, after, erased, patient, phoneLeft, otherSms, ahead, audit, myAccess };
    });
    expect(r.erased).toEqual({ visits: 4, cancelled: 2 });
    expect(r.patient).toEqual({ full_name: '—', phone: null, user_id: null, anonymised: true });
    expect(r.phoneLeft).toBe(0);
    expect(r.otherSms).toBe('+212600000099'); // another patient's SMS untouched
    expect(r.ahead).toEqual(['cancelled', 'cancelled']);
    expect(r.audit).toEqual([
      { kind: 'patient_erased', actor_id: ACTORS.ownerA.sub, reason: 'asked by phone' },
    ]);
    expect(r.myAccess).toEqual([]); // the account no longer links to the record
    // October's figures (counts, rates, waits, visit lengths, per practitioner) are exactly the same
    expect(r.after).toEqual(r.before);
  });

  it('retention: patients whose every visit is older than the period are anonymised, the rest kept', async () => {
    const r = await inMonth(async (tx) => {
      // 2026-03-01 in Casablanca: a 60-day period keeps visits from 2025-12-31 on (today's world visits too)
      await tx.exec(
        `insert into private.pinned_clock (id, at) values (true, '2026-03-01T10:00:00Z') on conflict (id) do update set at = excluded.at`,
      );
      await tx.exec(
        `update public.queue_entries set call_reason = 'Amina asked to go first' where id = 'a5000000-0000-4000-8000-0000000000e5'`,
      );
      const before = await as(tx, ACTORS.ownerA, 'report_visits', { ...OCT, p_period: 'month' });
      const set = await as(tx, ACTORS.ownerA, 'set_retention', { p_clinic_id: ID.clinicA, p_days: 60 });
      const job = await as(tx, ACTORS.service, 'apply_retention', {});
      const after = await as(tx, ACTORS.ownerA, 'report_visits', { ...OCT, p_period: 'month' });
      const names = (
        await tx.query<{ id: string; full_name: string }>(
          `select id, full_name from public.patients where id = any($1) order by id`,
          [[ID.walkInA, ID.patientRecA, ID.patientRecB]],
        )
      ).rows;
      const notes = (
        await tx.query<{ notes: string | null }>(
          `select call_reason as notes from public.queue_entries where id = 'a5000000-0000-4000-8000-0000000000e5'`,
        )
      ).rows[0]!.notes;
      const oldSms = (
        await tx.query<{ n: number }>(
          `select count(*)::int as n from public.notifications where idempotency_key like 'ret-%' and recipient is not null`,
        )
      ).rows[0]!.n;
      return { before, after, set, job, names, notes, oldSms };
    });
    expect(r.set).toEqual({ clinic_id: ID.clinicA, retention_days: 60 });
    // the walk-in came only in October 2025: anonymised; Amina and patient B have visits today: kept
    const name = Object.fromEntries(r.names.map((x) => [x.id, x.full_name]));
    expect(name[ID.walkInA]).toBe('—');
    expect(name[ID.patientRecA]).toBe('Amina Patient');
    expect(name[ID.patientRecB]).not.toBe('—');
    expect(r.notes).toBeNull();
    expect(r.oldSms).toBe(0);
    expect(r.job).toMatchObject({ clinics: 1, patients: 1 });
    expect(r.after).toEqual(r.before);
  });

  it('erasing a patient bumps the version of every queue holding their visits (open desks refetch)', async () => {
    const r = await inMonth(async (tx) => {
      const versions = async () =>
        (
          await tx.query<{ id: string; version: number; current: boolean }>(
            `select q.id, q.version, q.day >= private.clinic_today(c.time_zone) as current
               from public.queues q join public.clinics c on c.id = q.clinic_id
             where q.clinic_id = $1 and exists (select 1 from public.queue_entries e where e.queue_id = q.id and e.patient_id = $2)
             order by q.id`,
            [ID.clinicA, ID.patientRecA],
          )
        ).rows;
      const other = async () =>
        (
          await tx.query<{ n: number }>(
            `select coalesce(sum(q.version), 0)::int as n from public.queues q
             where q.clinic_id = $1 and not exists (select 1 from public.queue_entries e where e.queue_id = q.id and e.patient_id = $2)`,
            [ID.clinicA, ID.patientRecA],
          )
        ).rows[0]!.n;
      const before = await versions();
      const otherBefore = await other();
      await as(tx, ACTORS.ownerA, 'erase_patient', { p_patient_id: ID.patientRecA });
      return { before, after: await versions(), otherBefore, otherAfter: await other() };
    });
    expect(r.before.length).toBeGreaterThan(0);
    expect(r.after.map((q) => q.id)).toEqual(r.before.map((q) => q.id));
    // the erasure's own bump; a day not yet past once more, first, by the rename trigger (20261211400002: the
    // name is gone, so a Realtime desk reloads instead of applying the stripped rows under the old name)
    expect(r.before.some((q) => q.current)).toBe(true);
    r.after.forEach((q, i) => expect(q.version).toBe(r.before[i]!.version + (q.current ? 2 : 1)));
    expect(r.otherAfter).toBe(r.otherBefore); // other queues untouched
  });

  it('retention cuts the audit trail older than the period, keeps the rest', async () => {
    const r = await inMonth(async (tx) => {
      await tx.exec(
        `insert into private.pinned_clock (id, at) values (true, '2026-03-01T10:00:00Z') on conflict (id) do update set at = excluded.at`,
      );
      await tx.exec(`
        insert into public.audit_log (clinic_id, kind, patient_id, actor_id, reason, occurred_at) values
          ('${ID.clinicA}', 'record_read', '${ID.patientRecA}', '${ACTORS.ownerA.sub}', 'ret-old', timestamptz '2025-10-06 09:00+01'),
          ('${ID.clinicA}', 'record_read', '${ID.patientRecA}', '${ACTORS.ownerA.sub}', 'ret-edge', timestamptz '2025-12-31 00:30+01'),
          ('${ID.clinicA}', 'record_read', '${ID.patientRecA}', '${ACTORS.ownerA.sub}', 'ret-new', timestamptz '2026-02-20 09:00+01'),
          ('${ID.clinicB}', 'record_read', null, null, 'ret-other-clinic', timestamptz '2025-10-06 09:00+01');
      `);
      await as(tx, ACTORS.ownerA, 'set_retention', { p_clinic_id: ID.clinicA, p_days: 60 });
      const job = await as<Record<string, number>>(tx, ACTORS.service, 'apply_retention', {});
      const left = (
        await tx.query<{ reason: string }>(
          `select reason from public.audit_log where reason like 'ret-%' order by reason`,
        )
      ).rows.map((x) => x.reason);
      return { job, left };
    });
    // cutoff: 2026-03-01 (Casablanca) − 60 days = 2025-12-31 00:00 local; clinic B has no period
    expect(r.left).toEqual(['ret-edge', 'ret-new', 'ret-other-clinic']);
    expect(r.job['audit']).toBeGreaterThanOrEqual(1);
  });

  it('owners only; bad input is a coded error, nothing written', async () => {
    for (const a of [ACTORS.recepA, ACTORS.practA])
      expect(codeOf(await call(a, 'erase_patient', { p_patient_id: ID.patientRecA }))).toBe(
        'PT403 AUTH.FORBIDDEN',
      );
    expect(codeOf(await call(ACTORS.ownerB, 'erase_patient', { p_patient_id: ID.patientRecA }))).toBe(
      'PT404 NOT_FOUND',
    );
    expect(codeOf(await call(ACTORS.patientA, 'erase_patient', { p_patient_id: ID.patientRecA }))).toBe(
      'PT404 NOT_FOUND',
    );
    expect(codeOf(await call(ACTORS.anon, 'erase_patient', { p_patient_id: ID.patientRecA }))).toBe('42501');
    expect(
      codeOf(
        await call(ACTORS.ownerA, 'erase_patient', {
          p_patient_id: ID.patientRecA,
          p_reason: 'x'.repeat(501),
        }),
      ),
    ).toBe('PT422 VALIDATION.FAILED');
    expect(codeOf(await call(ACTORS.ownerA, 'set_retention', { p_clinic_id: ID.clinicA, p_days: 7 }))).toBe(
      'PT422 VALIDATION.FAILED',
    );
    expect(codeOf(await call(ACTORS.recepA, 'set_retention', { p_clinic_id: ID.clinicA, p_days: 90 }))).toBe(
      'PT403 AUTH.FORBIDDEN',
    );
    expect(codeOf(await call(ACTORS.ownerA, 'apply_retention', {}))).toBe('42501');
  });
});
