/**
 * The reports' per-day summaries (20261203600001_report_summaries.sql) give exactly the figures of the raw
 * computation, on PGlite and PostgreSQL: the constructed month of reports.test.ts plus two months of
 * generated visits (walk-ins, bookings, no-shows, cancellations, late patients, estimates, three
 * practitioners, two visit types), every report × period × breakdown read once from the summaries (closed
 * days) and once raw (the same days reopened, which drops their summaries). A change to a summarised day
 * drops its summary, so the next report still tells the truth. Every call is rolled back.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DbTx } from '../local/db/types';
import { DB_KINDS, openTestDb } from './helpers/testDb';
import type { TestDb } from './helpers/testDb';
import { becomeActor, resetActor, rpcSql, tryAsActor } from './helpers/sql';
import { ACTORS, ID } from './helpers/world';
import { MONTH } from './helpers/reportMonth';

/** 61 days (Aug–Sep 2025) × 12 visits of clinic A, varied deterministically by day and ticket. */
const GENERATED = `
  insert into public.queues (clinic_id, day, next_ticket, status)
  select '${ID.clinicA}', d::date, 13, 'closed' from generate_series(date '2025-08-01', date '2025-09-29', interval '1 day') d;
  with v as (
    select q.id as queue_id, q.day, n, (extract(doy from q.day)::int * 7 + n * 13) % 100 as r,
           ((q.day + time '08:00') at time zone 'Africa/Casablanca') + n * interval '17 minutes' as arrive
    from public.queues q cross join generate_series(1, 12) n
    where q.clinic_id = '${ID.clinicA}' and q.day between '2025-08-01' and '2025-09-29'
  ), w as (
    select v.*, case when v.r < 40 then 'walk_in' else 'booked' end::public.entry_kind as kind,
           case when v.r % 11 = 0 then 'no_show' when v.r % 13 = 0 then 'cancelled' else 'completed' end::public.entry_status as status,
           ((v.r * 37) % 61) * interval '1 minute' + (v.n % 7) * interval '13 seconds' as wait,
           (5 + (v.r * 17) % 23) * interval '1 minute' as len
    from v
  )
  insert into public.queue_entries (queue_id, clinic_id, patient_id, practitioner_id, served_by, appointment_type_id, kind,
      status, ticket_number, order_key, slot_start, slot_end, running_late_at, checked_in_at, called_at, started_at,
      finished_at, no_show_at, cancelled_at)
  select w.queue_id, '${ID.clinicA}', case when w.r % 3 = 0 then '${ID.walkInA}' else '${ID.patientRecA}' end::uuid,
         case when w.kind = 'booked' then (case when w.r % 2 = 0 then '${ID.memberPractA}' else '${ID.memberOwnerA}' end)::uuid end,
         case when w.status = 'completed' and w.r % 5 <> 0 then (case when w.r % 3 = 0 then '${ID.memberCoOwnerA}' else '${ID.memberPractA}' end)::uuid end,
         case when w.r % 4 = 0 then null when w.r % 4 = 1 then '${ID.typeA2}' else '${ID.typeA}' end::uuid,
         w.kind, w.status, w.n, w.n,
         case when w.kind = 'booked' then w.arrive + (w.r % 9 - 4) * interval '5 minutes' end,
         case when w.kind = 'booked' then w.arrive + interval '30 minutes' end,
         case when w.r % 10 = 3 then w.arrive - interval '10 minutes' end,
         case when w.status <> 'no_show' then w.arrive end,
         case when w.status = 'completed' then w.arrive + w.wait end,
         case when w.status = 'completed' then w.arrive + w.wait end,
         case when w.status = 'completed' then w.arrive + w.wait + w.len end,
         case when w.status = 'no_show' then w.arrive + interval '30 minutes' end,
         case when w.status = 'cancelled' then w.arrive + interval '5 minutes' end
  from w;
  insert into public.queue_entry_estimates (entry_id, queue_id, clinic_id, queue_version, minutes, low, high, display_kind, computed_at)
  select e.id, e.queue_id, e.clinic_id, 1, (e.ticket_number * 7) % 50, greatest(0, (e.ticket_number * 7) % 50 - 8),
         (e.ticket_number * 7) % 50 + 6, 'unknown', e.checked_in_at
  from public.queue_entries e join public.queues q on q.id = e.queue_id
  where q.clinic_id = '${ID.clinicA}' and q.day between '2025-08-01' and '2025-09-29' and e.called_at is not null
    and e.ticket_number % 4 <> 0;
  insert into public.notifications (clinic_id, entry_id, kind, channel, idempotency_key, status, segments, cost, created_at)
  select e.clinic_id, e.id, 'your_turn', 'sms', 'gen:' || e.id::text,
         (array['sent', 'delivered', 'failed', 'skipped_budget', 'simulated', 'queued'])[1 + (e.ticket_number + extract(doy from q.day)::int) % 6]::public.notification_status,
         1 + e.ticket_number % 2, (e.ticket_number % 4) * 0.25, coalesce(e.called_at, e.checked_in_at, e.slot_start, e.no_show_at, e.cancelled_at)
  from public.queue_entries e join public.queues q on q.id = e.queue_id
  where q.clinic_id = '${ID.clinicA}' and q.day between '2025-08-01' and '2025-09-29' and e.ticket_number % 3 <> 0;
`;

const RANGE = { p_clinic_id: ID.clinicA, p_from: '2025-08-01', p_to: '2025-10-31' };
const CALLS: [string, Record<string, unknown>][] = [
  ...(['day', 'week', 'month'] as const).flatMap((p_period) =>
    (['total', 'practitioner', 'type'] as const).map(
      (p_by) => ['report_visits', { ...RANGE, p_period, p_by }] as [string, Record<string, unknown>],
    ),
  ),
  ['report_busy_hours', RANGE],
  ...(['day', 'week', 'month'] as const).map(
    (p_period) => ['report_wait_accuracy', { ...RANGE, p_period }] as [string, Record<string, unknown>],
  ),
  ...(['day', 'week', 'month'] as const).map(
    (p_period) => ['report_sms', { ...RANGE, p_period }] as [string, Record<string, unknown>],
  ),
  // a range that cuts weeks and months: their edges come from day runs, whole ones from stored runs
  [
    'report_visits',
    { ...RANGE, p_from: '2025-08-13', p_to: '2025-09-24', p_period: 'week', p_by: 'practitioner' },
  ],
  ['report_wait_accuracy', { ...RANGE, p_from: '2025-08-13', p_to: '2025-09-24', p_period: 'month' }],
];

describe.each(DB_KINDS)('report summaries on %s', (kind) => {
  let t: TestDb;
  beforeAll(async () => {
    t = await openTestDb(kind);
    const { createWorld } = await import('./helpers/world');
    await createWorld(t.db);
  }, 300_000);
  afterAll(async () => {
    await t?.stop();
  });

  const all = async (tx: DbTx): Promise<unknown[]> => {
    await becomeActor(tx, ACTORS.ownerA);
    const out: unknown[] = [];
    for (const [fn, args] of CALLS) {
      const { sql, params } = rpcSql(fn, args);
      out.push((await tx.query<{ r: unknown }>(sql, params)).rows[0]?.r);
    }
    await resetActor(tx);
    return out;
  };
  const summarisedDays = async (tx: DbTx) =>
    (
      await tx.query<{ n: number }>(
        `select count(*)::int as n from private.report_days where clinic_id = $1`,
        [ID.clinicA],
      )
    ).rows[0]!.n;

  const inMonths = async <T>(fn: (tx: DbTx) => Promise<T>): Promise<T> => {
    const o = await tryAsActor(
      t.db,
      ACTORS.ownerA,
      async (tx) => {
        await resetActor(tx);
        return fn(tx);
      },
      async (tx) => void (await tx.exec(MONTH + GENERATED)),
    );
    if (!o.ok) throw new Error(`${o.code} ${o.message}`);
    return o.value;
  };

  it('every report, period and breakdown: the summaries give exactly the raw figures', async () => {
    const { fromSummaries, raw, days, daysAfterReopen } = await inMonths(async (tx) => {
      const fromSummaries = await all(tx);
      const days = await summarisedDays(tx);
      // reopened days are read raw (their summaries dropped, and an open day is never summarised)
      await tx.exec(
        `update public.queues set status = 'open' where clinic_id = '${ID.clinicA}' and day < '2025-11-01'`,
      );
      const daysAfterReopen = await summarisedDays(tx);
      return { fromSummaries, raw: await all(tx), days, daysAfterReopen };
    });
    // 60 generated days + the month's 4 closed days (one before the range is not touched: 63 in range)
    expect(days).toBeGreaterThanOrEqual(63);
    expect(daysAfterReopen).toBe(0);
    expect(fromSummaries).toEqual(raw);
    // and the figures are not trivially empty
    const visits = fromSummaries[0] as { totals: { visits: number; wait_median: number | null }[] };
    expect(visits.totals[0]!.visits).toBeGreaterThan(600);
    expect(visits.totals[0]!.wait_median).not.toBeNull();
  }, 600_000);

  it('percentiles over many sorted runs (the bracketing path, > 4096 values) are exactly percentile_cont', async () => {
    const QS = '{0,0.1,0.25,0.5,0.9,0.999,1}';
    // three sets of runs: varied values with many zeros (16k values, 300 runs), one value repeated 9 000 times
    // among 10 000 (the brackets cannot narrow below the duplicates), and a small set (the merge-and-sort path)
    const sets = [
      `select g, case when (g * 7 + i * 13) % 10 = 0 then 0
                      else round(((g * 7919 + i * 104729) % 10007)::numeric / 97, 2) end::float8 as x
       from generate_series(1, 300) g, generate_series(1, g % 120 + 1) i`,
      `select g, case when i % 10 = 0 then i::float8 / 7 else 5 end as x
       from generate_series(1, 100) g, generate_series(1, 100) i`,
      `select g, (g * 31 + i * 17) % 23 / 3.0::float8 as x from generate_series(1, 9) g, generate_series(1, 40) i`,
    ];
    const o = await tryAsActor(
      t.db,
      ACTORS.ownerA,
      async (tx) => {
        await resetActor(tx);
        const out: { n: number; mine: number[]; ref: number[] }[] = [];
        for (const raw of sets) {
          const { rows } = await tx.query<{ n: number; mine: number[]; ref: number[] }>(
            `with raw as (${raw}), runs as (select g, array_agg(x order by x) as v from raw group by g)
             select (select count(*)::int from raw) as n,
                    private.report_percentiles($1, 'w', 't', '00000000-0000-0000-0000-000000000000', '1990-01-01',
                      '1990-01-02', (select array_agg(row(v)::private.report_run) from runs), $2) as mine,
                    (select percentile_cont($2::float8[]) within group (order by x) from raw) as ref`,
            [ID.clinicA, QS],
          );
          out.push(rows[0]!);
        }
        return out;
      },
      async () => undefined,
    );
    if (!o.ok) throw new Error(`${o.code} ${o.message}`);
    expect(o.value.map((r) => r.n)).toEqual([16_410, 10_000, 360]);
    for (const r of o.value) {
      expect(r.mine).toHaveLength(7);
      expect(r.mine).toEqual(r.ref); // bit for bit
    }
  }, 300_000);

  it('a change to a summarised day drops its summary: the next report counts it, then summarises it again', async () => {
    const { before, after, droppedTo, again } = await inMonths(async (tx) => {
      const before = (await all(tx))[0] as { totals: { late: number; visits: number }[] };
      const n = await summarisedDays(tx);
      // a visit of a summarised day is corrected: the patient had said they were running late
      await tx.exec(`
        update public.queue_entries set running_late_at = checked_in_at - interval '5 minutes'
        where id = (select e.id from public.queue_entries e join public.queues q on q.id = e.queue_id
                    where q.clinic_id = '${ID.clinicA}' and q.day = '2025-08-05' and e.status = 'completed'
                      and e.running_late_at is null
                    order by e.ticket_number limit 1)`);
      const droppedTo = (await summarisedDays(tx)) - n;
      const after = (await all(tx))[0] as { totals: { late: number; visits: number }[] };
      return { before, after, droppedTo, again: (await summarisedDays(tx)) - n };
    });
    expect(droppedTo).toBe(-1);
    expect(again).toBe(0);
    expect(after.totals[0]!.late).toBe(before.totals[0]!.late + 1);
    expect(after.totals[0]!.visits).toBe(before.totals[0]!.visits);
  }, 600_000);

  it('ending a day summarises it in the same transaction', async () => {
    const n = await inMonths(async (tx) => {
      await tx.exec(
        `update public.queues set status = 'open' where clinic_id = '${ID.clinicA}' and day = '2025-08-05'`,
      );
      const open = await summarisedDays(tx);
      await tx.exec(
        `update public.queues set status = 'closed' where clinic_id = '${ID.clinicA}' and day = '2025-08-05'`,
      );
      return { open, closed: await summarisedDays(tx) };
    });
    expect(n.closed).toBe(n.open + 1);
  }, 300_000);
  /** Stored week/month runs that differ from the union of their current day runs (must be none). */
  const periodRuns = async (tx: DbTx) =>
    (
      await tx.query<{ periods: number; runs: number; wrong: number; missing: number }>(
        `select (select count(*)::int from private.report_periods where clinic_id = $1) as periods,
                (select count(*)::int from private.report_period_runs where clinic_id = $1) as runs,
                (select count(*)::int from private.report_period_runs p
                 where p.clinic_id = $1 and p.v is distinct from (
                   select array_agg(u.x order by u.x) from private.report_runs r
                   join private.report_days d on d.queue_id = r.queue_id cross join lateral unnest(r.v) u(x)
                   where r.clinic_id = p.clinic_id and r.metric = p.metric and r.by_kind = p.by_kind and r.dim = p.dim
                     and r.day between p.period and private.report_period_end(p.kind, p.period))) as wrong,
                (select count(*)::int from private.report_periods p
                 join private.report_runs r on r.clinic_id = p.clinic_id
                  and r.day between p.period and private.report_period_end(p.kind, p.period)
                 join private.report_days d on d.queue_id = r.queue_id
                 where p.clinic_id = $1 and not exists (
                   select 1 from private.report_period_runs x where x.clinic_id = p.clinic_id and x.kind = p.kind
                     and x.period = p.period and x.metric = r.metric and x.by_kind = r.by_kind and x.dim = r.dim)) as missing`,
        [ID.clinicA],
      )
    ).rows[0]!;

  it('stored week and month runs are exactly the union of their days; a change to one of their days drops them', async () => {
    const r = await inMonths(async (tx) => {
      await all(tx);
      const built = await periodRuns(tx);
      const periodsOf = async () =>
        (
          await tx.query<{ kind: string; period: string }>(
            `select kind::text, period::text from private.report_periods where clinic_id = $1 order by 1, 2`,
            [ID.clinicA],
          )
        ).rows.map((p) => `${p.kind}:${p.period}`);
      const before = await periodsOf();
      await tx.exec(`
        update public.queue_entries set finished_at = finished_at + interval '3 minutes'
        where id = (select e.id from public.queue_entries e join public.queues q on q.id = e.queue_id
                    where q.clinic_id = '${ID.clinicA}' and q.day = '2025-08-05' and e.status = 'completed'
                    order by e.ticket_number limit 1)`);
      const afterChange = await periodsOf();
      await all(tx); // summarises the day again and rebuilds its week and month
      return { built, before, afterChange, rebuilt: await periodRuns(tx), again: await periodsOf() };
    });
    // Aug, Sep, Oct and the 12 whole weeks of 2025-08-04 … 2025-10-26 inside the range
    expect(r.before).toContain('m:2025-08-01');
    expect(r.before).toContain('w:2025-08-04');
    expect(r.before.filter((p) => p.startsWith('m:'))).toEqual([
      'm:2025-08-01',
      'm:2025-09-01',
      'm:2025-10-01',
    ]);
    expect(r.built.runs).toBeGreaterThan(50);
    expect(r.built.wrong).toBe(0);
    expect(r.built.missing).toBe(0);
    // 2025-08-05 is in the week of 2025-08-04 and in August: those two dropped, nothing else
    expect(r.afterChange).toEqual(r.before.filter((p) => p !== 'w:2025-08-04' && p !== 'm:2025-08-01'));
    expect(r.again).toEqual(r.before);
    expect(r.rebuilt.wrong).toBe(0);
    expect(r.rebuilt.missing).toBe(0);
  }, 600_000);

  it("a change to an SMS drops its local day's summary: the SMS report counts it at once", async () => {
    const r = await inMonths(async (tx) => {
      const sms = async () => {
        await becomeActor(tx, ACTORS.ownerA);
        const { sql, params } = rpcSql('report_sms', { ...RANGE, p_period: 'month' });
        const v = (await tx.query<{ r: { totals: { sent: number; failed: number } } }>(sql, params)).rows[0]!
          .r;
        await resetActor(tx);
        return v.totals;
      };
      const before = await sms();
      const n = await summarisedDays(tx);
      await tx.exec(`
        update public.notifications set status = 'failed'
        where id = (select x.id from public.notifications x join public.queue_entries e on e.id = x.entry_id
                    join public.queues q on q.id = e.queue_id
                    where q.clinic_id = '${ID.clinicA}' and q.day = '2025-08-05' and x.status = 'sent'
                    order by x.idempotency_key limit 1)`);
      const dropped = (await summarisedDays(tx)) - n;
      return { before, after: await sms(), dropped, again: (await summarisedDays(tx)) - n };
    });
    expect(r.dropped).toBe(-1);
    expect(r.again).toBe(0);
    expect(r.after.sent).toBe(r.before.sent - 1);
    expect(r.after.failed).toBe(r.before.failed + 1);
  }, 600_000);
});
