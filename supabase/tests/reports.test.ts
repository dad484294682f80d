/**
 * Owners' reports (issue 19, 20261202800001_reports.sql) on a constructed month with known answers, on
 * PGlite and PostgreSQL: visits per day / week / month and per practitioner / visit type, arrivals by
 * weekday × hour, estimate accuracy, SMS sent and cost. Owner/admin only; bad input coded. The month is
 * October 2025 (fixed dates: nothing depends on today). Every call is rolled back.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DB_KINDS, openTestDb } from './helpers/testDb';
import type { TestDb } from './helpers/testDb';
import { rpcSql, tryAsActor } from './helpers/sql';
import type { Actor, Outcome } from './helpers/sql';
import { ACTORS, ID } from './helpers/world';

import { MONTH, MON, TUE, TUE2 } from './helpers/reportMonth';

const OCT = { p_clinic_id: ID.clinicA, p_from: '2025-10-01', p_to: '2025-10-31' };

describe.each(DB_KINDS)('owners reports on %s', (kind) => {
  let t: TestDb;
  beforeAll(async () => {
    t = await openTestDb(kind);
    const { createWorld } = await import('./helpers/world');
    await createWorld(t.db);
  }, 300_000); // PGlite's set-up under a busy machine's load
  afterAll(async () => {
    await t?.stop();
  });

  const call = async <T = Record<string, unknown>>(
    actor: Actor,
    fn: string,
    args: Record<string, unknown>,
  ): Promise<Outcome<T>> =>
    tryAsActor(
      t.db,
      actor,
      async (tx) => {
        const { sql, params } = rpcSql(fn, args);
        return (await tx.query<{ r: T }>(sql, params)).rows[0]?.r as T;
      },
      async (tx) => void (await tx.exec(MONTH)),
    );
  const value = async <T = Record<string, unknown>>(
    actor: Actor,
    fn: string,
    args: Record<string, unknown>,
  ) => {
    const o = await call<T>(actor, fn, args);
    if (!o.ok) throw new Error(`${o.code} ${o.message}`);
    return o.value;
  };
  const codeOf = (o: Outcome<unknown>) =>
    o.ok ? 'ok' : o.code.startsWith('PT') ? `${o.code} ${o.message}` : o.code;

  type Row = Record<string, unknown>;
  interface Visits {
    rows: Row[];
    totals: Row[];
  }

  it('report_visits per day: patients seen, walk-in vs booked, no-show and late rates, wait and visit length', async () => {
    const r = await value<Visits>(ACTORS.ownerA, 'report_visits', { ...OCT, p_period: 'day', p_by: 'total' });
    expect(r.rows).toEqual([
      {
        period: MON,
        key: null,
        label: null,
        visits: 3,
        seen: 2,
        walk_in: 1,
        booked: 2,
        no_show: 1,
        cancelled: 1,
        late: 1,
        no_show_rate: 0.3333,
        late_rate: 0.3333,
        wait_median: 10,
        wait_p90: 10,
        visit_median: 25,
        visit_p90: 29,
      },
      {
        period: TUE,
        key: null,
        label: null,
        visits: 1,
        seen: 1,
        walk_in: 1,
        booked: 0,
        no_show: 0,
        cancelled: 0,
        late: 0,
        no_show_rate: 0,
        late_rate: 0,
        wait_median: 30,
        wait_p90: 30,
        visit_median: 10,
        visit_p90: 10,
      },
      {
        period: TUE2,
        key: null,
        label: null,
        visits: 1,
        seen: 1,
        walk_in: 0,
        booked: 1,
        no_show: 0,
        cancelled: 0,
        late: 1,
        no_show_rate: 0,
        late_rate: 1,
        wait_median: 20,
        wait_p90: 20,
        visit_median: 15,
        visit_p90: 15,
      },
    ]);
    // the month: waits 10, 10, 20, 30 → median 15, p90 27; visits 10, 15, 20, 30 → 17.5, 27
    expect(r.totals).toEqual([
      {
        key: null,
        label: null,
        visits: 5,
        seen: 4,
        walk_in: 2,
        booked: 3,
        no_show: 1,
        cancelled: 1,
        late: 2,
        no_show_rate: 0.2,
        late_rate: 0.4,
        wait_median: 15,
        wait_p90: 27,
        visit_median: 17.5,
        visit_p90: 27,
      },
    ]);
  });

  it('report_visits per ISO week and per month', async () => {
    const week = await value<Visits>(ACTORS.ownerA, 'report_visits', { ...OCT, p_period: 'week' });
    expect(week.rows.map((x) => [x['period'], x['visits'], x['seen']])).toEqual([
      [MON, 4, 3],
      ['2025-10-13', 1, 1],
    ]);
    const month = await value<Visits>(ACTORS.ownerA, 'report_visits', { ...OCT, p_period: 'month' });
    expect(month.rows.map((x) => [x['period'], x['visits'], x['wait_median']])).toEqual([
      ['2025-10-01', 5, 15],
    ]);
  });

  it('report_visits per practitioner (who served, else who it was booked with) and per visit type', async () => {
    const byPract = await value<Visits>(ACTORS.ownerA, 'report_visits', {
      ...OCT,
      p_period: 'month',
      p_by: 'practitioner',
    });
    // "unassigned" first, then by name
    expect(
      byPract.totals.map((x) => [x['key'], x['label'], x['visits'], x['seen'], x['no_show'], x['cancelled']]),
    ).toEqual([
      [null, null, 1, 0, 1, 1],
      [ID.memberOwnerA, 'Dr Owner A', 1, 1, 0, 0],
      [ID.memberPractA, 'Dr Pract A', 3, 3, 0, 0],
    ]);
    const byType = await value<Visits>(ACTORS.ownerA, 'report_visits', {
      ...OCT,
      p_period: 'month',
      p_by: 'type',
    });
    expect(
      Object.fromEntries(
        byType.totals.map((x) => [x['key'], [x['visits'], x['cancelled'], x['wait_median']]]),
      ),
    ).toEqual({
      [ID.typeA]: [3, 1, 10],
      [ID.typeA2]: [2, 0, 30],
    });
  });

  it('report_busy_hours: check-ins by local weekday × hour, cancelled arrivals included', async () => {
    const r = await value<{ cells: Row[] }>(ACTORS.ownerA, 'report_busy_hours', OCT);
    expect(r.cells).toEqual([
      { weekday: 1, hour: 9, arrivals: 2 },
      { weekday: 1, hour: 10, arrivals: 1 },
      { weekday: 2, hour: 9, arrivals: 1 },
      { weekday: 2, hour: 15, arrivals: 1 },
    ]);
  });

  it('report_wait_accuracy: error of the stored estimate against the real call, share inside the shown range', async () => {
    const r = await value<{ rows: Row[]; totals: Row }>(ACTORS.ownerA, 'report_wait_accuracy', OCT);
    expect(r.rows).toEqual([
      { period: MON, judged: 2, median_abs_error: 6, within_share: 0.5 },
      { period: TUE, judged: 1, median_abs_error: 0, within_share: 1 },
    ]);
    expect(r.totals).toEqual({ judged: 3, median_abs_error: 2, within_share: 0.6667 });
  });

  it('report_sms: SMS sent, failed, skipped and their cost on local days (not e-mail, not another clinic)', async () => {
    const r = await value<{ rows: Row[]; totals: Row }>(ACTORS.ownerA, 'report_sms', {
      ...OCT,
      p_period: 'day',
    });
    expect(r.rows).toEqual([
      { period: MON, sent: 2, failed: 0, skipped: 0, segments: 3, cost: 1.5 },
      { period: TUE, sent: 0, failed: 1, skipped: 1, segments: 0, cost: 0 },
      // 23:30 local on the 31st is inside October; 00:30 on 1 November is not
      { period: '2025-10-31', sent: 1, failed: 0, skipped: 0, segments: 1, cost: 0 },
    ]);
    expect(r.totals).toEqual({ sent: 3, failed: 1, skipped: 1, segments: 4, cost: 1.5 });
  });

  it('an empty range gives empty rows and zero totals', async () => {
    const args = { p_clinic_id: ID.clinicA, p_from: '2025-08-01', p_to: '2025-08-31' };
    expect((await value<Visits>(ACTORS.ownerA, 'report_visits', args)).rows).toEqual([]);
    expect(await value(ACTORS.ownerA, 'report_sms', args)).toMatchObject({
      rows: [],
      totals: { sent: 0, failed: 0, skipped: 0, segments: 0, cost: 0 },
    });
    expect(await value(ACTORS.ownerA, 'report_wait_accuracy', args)).toMatchObject({
      rows: [],
      totals: { judged: 0, median_abs_error: null, within_share: null },
    });
  });

  const REPORTS: [string, Record<string, unknown>][] = [
    ['report_visits', OCT],
    ['report_busy_hours', OCT],
    ['report_wait_accuracy', OCT],
    ['report_sms', OCT],
  ];

  it.each(REPORTS)(
    '%s: owner only — receptionist, practitioner, patient, another clinic refused, anon cannot execute',
    async (fn, args) => {
      expect(codeOf(await call(ACTORS.ownerA, fn, args))).toBe('ok');
      for (const a of [ACTORS.recepA, ACTORS.practA, ACTORS.patientA, ACTORS.ownerB])
        expect(codeOf(await call(a, fn, args))).toBe('PT403 AUTH.FORBIDDEN');
      expect(codeOf(await call(ACTORS.anon, fn, args))).toBe('42501');
    },
  );

  it('another clinic sees only its own figures', async () => {
    const r = await value<Visits>(ACTORS.ownerB, 'report_visits', { ...OCT, p_clinic_id: ID.clinicB });
    expect(r.totals).toMatchObject([{ visits: 1, seen: 1, wait_median: 120 }]);
  });

  it('bad input is a coded 422, never SQL text', async () => {
    const bad: Record<string, unknown>[] = [
      { ...OCT, p_from: '2025-11-01' },
      { ...OCT, p_from: '2024-01-01' },
      { ...OCT, p_from: null },
      { ...OCT, p_period: 'year' },
      { ...OCT, p_by: 'room' },
    ];
    for (const args of bad) {
      const o = await call(ACTORS.ownerA, 'report_visits', args);
      expect(codeOf(o)).toBe('PT422 VALIDATION.FAILED');
      if (!o.ok) expect(o.detail ?? '').not.toMatch(/select|from public/i);
    }
    expect(
      codeOf(
        await call(ACTORS.ownerA, 'report_visits', {
          ...OCT,
          p_clinic_id: '00000000-0000-4000-8000-000000000000',
        }),
      ),
    ).toBe('PT403 AUTH.FORBIDDEN');
  });
});
