/**
 * One end-of-day summary (issue 11): the database's private.day_summary / close_day (a day closed by
 * end_day or by the sweep) and the domain's summarizeDay (a day closed at the desk) give the same
 * DaySummary for the same entries, on PGlite and PostgreSQL. A generated day of 60 entries (fixed seed):
 * completed with and without a start (a called-never-started patient is not served), no-shows, cancelled,
 * early and late arrivals for a slot, a call before the check-in (wait 0), several desks and none.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { summarizeDay, type DaySummary } from '../../src/services/queue/models/DaySummary';
import type { QueueEntry } from '../../src/services/queue/models/QueueEntry';
import type { DbTx } from '../local/db/types';
import { DB_KINDS, openTestDb } from './helpers/testDb';
import type { TestDb } from './helpers/testDb';
import { ID, createWorld } from './helpers/world';

const QUEUE = 'a4000000-0000-4000-8000-0000000000d5';
const BASE = Date.parse('2030-01-07T08:00:00.000Z');
const DESKS = [ID.memberPractA, ID.memberOwnerA, null];

interface Row {
  id: string;
  ticket_number: number;
  kind: 'walk_in' | 'booked';
  status: string;
  slot_start: string | null;
  checked_in_at: string | null;
  called_at: string | null;
  started_at: string | null;
  finished_at: string | null;
  served_by: string | null;
  practitioner_id: string | null;
}

/** A deterministic day (LCG): every mix of statuses and times the summary distinguishes. */
const generatedDay = (): Row[] => {
  let seed = 20261202;
  const rnd = (n: number) => {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    return Math.floor(seed / 65536) % n;
  };
  const at = (minutes: number) => new Date(BASE + minutes * 60_000 + rnd(60) * 1000).toISOString();
  const rows: Row[] = [];
  for (let i = 1; i <= 60; i++) {
    const booked = rnd(2) === 0;
    const arrive = rnd(240);
    const slot = booked ? arrive + rnd(61) - 30 : null;
    const status = [
      'completed',
      'completed',
      'completed',
      'no_show',
      'cancelled',
      'called',
      'in_service',
      'waiting',
    ][rnd(8)]!;
    const calledAt =
      status === 'completed' || status === 'called' || status === 'in_service' ? arrive + rnd(50) - 5 : null;
    const started = calledAt !== null && (status === 'in_service' || (status === 'completed' && rnd(5) > 0));
    const startedAt = started ? calledAt! + rnd(3) : null;
    const finishedAt =
      startedAt !== null && status === 'completed' && rnd(10) > 0 ? startedAt + 1 + rnd(25) : null;
    const desk = DESKS[rnd(3)] ?? null;
    rows.push({
      id: `a5000000-0000-4000-8000-${String(900000000000 + i)}`,
      ticket_number: 100 + i,
      kind: 'walk_in',
      status,
      slot_start: slot === null ? null : at(slot),
      checked_in_at: status === 'cancelled' && rnd(2) === 0 ? null : at(arrive),
      called_at: calledAt === null ? null : at(calledAt),
      started_at: startedAt === null ? null : at(startedAt),
      finished_at: finishedAt === null ? null : at(finishedAt),
      served_by: started ? desk : null,
      practitioner_id: rnd(3) === 0 ? ID.memberPractA : null,
    });
  }
  return rows;
};

const toEntry = (r: Row): QueueEntry =>
  ({
    id: r.id,
    status: r.status,
    slotAt: r.slot_start,
    checkedInAt: r.checked_in_at,
    calledAt: r.called_at,
    startedAt: r.started_at,
    finishedAt: r.finished_at,
    servedBy: r.served_by,
    practitionerId: r.practitioner_id,
  }) as unknown as QueueEntry;

/** Same numbers to 1e-9 minutes (float sums in two engines), everything else exactly. */
const rounded = (s: DaySummary): DaySummary => {
  const r = (x: number | null) => (x === null ? null : Math.round(x * 1e9) / 1e9);
  return {
    ...s,
    averageWaitMinutes: r(s.averageWaitMinutes),
    p90WaitMinutes: r(s.p90WaitMinutes),
    serviceByPractitioner: s.serviceByPractitioner.map((p) => ({
      ...p,
      averageServiceMinutes: r(p.averageServiceMinutes) ?? 0,
    })),
  };
};

const insertDay = async (tx: DbTx, rows: readonly Row[]) => {
  await tx.query(
    `insert into public.queues (id, clinic_id, day, next_ticket) values ($1, $2, '2030-01-07', 200)`,
    [QUEUE, ID.clinicA],
  );
  await tx.query(
    `insert into public.queue_entries (id, queue_id, clinic_id, patient_id, kind, status, ticket_number, order_key,
        slot_start, checked_in_at, called_at, started_at, finished_at, served_by, practitioner_id)
     select r.id, $1, $2, $3, r.kind::public.entry_kind, r.status::public.entry_status, r.ticket_number,
            extract(epoch from coalesce(r.checked_in_at, r.slot_start, '2030-01-07T08:00:00Z'::timestamptz)),
            r.slot_start, r.checked_in_at, r.called_at, r.started_at, r.finished_at, r.served_by, r.practitioner_id
     from jsonb_to_recordset($4::jsonb) as r(id uuid, kind text, status text, ticket_number int,
        slot_start timestamptz, checked_in_at timestamptz, called_at timestamptz, started_at timestamptz,
        finished_at timestamptz, served_by uuid, practitioner_id uuid)`,
    [QUEUE, ID.clinicA, ID.walkInA, JSON.stringify(rows)],
  );
};

const readRows = async (tx: DbTx): Promise<Row[]> => {
  const { rows } = await tx.query<Row>(
    `select id::text, ticket_number, kind::text, status::text, served_by::text, practitioner_id::text,
            ${['slot_start', 'checked_in_at', 'called_at', 'started_at', 'finished_at']
              .map((c) => `to_char(${c} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') as ${c}`)
              .join(', ')}
     from public.queue_entries where queue_id = $1 order by ticket_number`,
    [QUEUE],
  );
  return rows;
};

/** Runs `body` in a transaction that is always rolled back; returns what it returned. */
const rolledBack = async <T>(t: TestDb, body: (tx: DbTx) => Promise<T>): Promise<T> => {
  const rollback = new Error('rollback');
  return t.db
    .transaction(async (tx) => {
      throw Object.assign(rollback, { value: await body(tx) });
    })
    .catch((e: unknown) => {
      if (e !== rollback) throw e;
      return (e as Error & { value: T }).value;
    });
};

describe.each(DB_KINDS)('day summary: SQL = TS on %s', (kind) => {
  let t: TestDb;
  beforeAll(async () => {
    t = await openTestDb(kind, { poolSize: 2 });
    await createWorld(t.db);
  });
  afterAll(async () => {
    await t?.stop();
  });

  it('the generated day covers what the summary distinguishes', () => {
    const rows = generatedDay();
    const completed = rows.filter((r) => r.status === 'completed');
    expect(new Set(rows.map((r) => r.status)).size).toBe(6);
    expect(completed.some((r) => r.started_at === null && r.called_at !== null)).toBe(true); // called, never seen
    expect(completed.some((r) => r.started_at !== null && r.finished_at === null)).toBe(true);
    expect(
      rows.some((r) => r.slot_start !== null && r.checked_in_at !== null && r.slot_start > r.checked_in_at),
    ).toBe(true);
    expect(
      rows.some((r) => r.called_at !== null && r.checked_in_at !== null && r.called_at < r.checked_in_at),
    ).toBe(true);
    expect(new Set(rows.map((r) => r.served_by)).size).toBe(DESKS.length);
  });

  it('private.day_summary of a day = summarizeDay of the same entries', async () => {
    const rows = generatedDay();
    const sql = await rolledBack(t, async (tx) => {
      await insertDay(tx, rows);
      return (await tx.query<{ s: DaySummary }>('select private.day_summary($1) as s', [QUEUE])).rows[0]!.s;
    });
    const ts = summarizeDay(rows.map(toEntry));
    expect(ts.served).toBeLessThan(rows.filter((r) => r.status === 'completed').length);
    expect(rounded(sql)).toEqual(rounded(ts));
  });

  it('a day the database closes (close_day: end_day, the sweep) stores and logs the summary the desk computes', async () => {
    const { stored, logged, after } = await rolledBack(t, async (tx) => {
      await insertDay(tx, generatedDay());
      // the database's clock at the end of that day (close_day finishes the visits still at a desk then)
      await tx.query(`insert into private.pinned_clock (at) values ('2030-01-07T20:00:00.123Z')`);
      await tx.query('select private.close_day($1, true)', [QUEUE]);
      const q = await tx.query<{ summary: DaySummary }>('select summary from public.queues where id = $1', [
        QUEUE,
      ]);
      const ev = await tx.query<{
        payload: { summary: DaySummary; completedEntryIds: string[]; noShowEntryIds: string[] };
      }>(`select payload from public.queue_events where queue_id = $1 and type = 'DayEnded'`, [QUEUE]);
      return { stored: q.rows[0]!.summary, logged: ev.rows[0]!.payload, after: await readRows(tx) };
    });
    // called/in-service → completed (a called-never-started patient is not served), the rest → no_show
    expect(after.filter((r) => ['called', 'in_service', 'waiting'].includes(r.status))).toEqual([]);
    expect(rounded(stored)).toEqual(rounded(summarizeDay(after.map(toEntry))));
    expect(logged.summary).toEqual(stored);
    expect(logged.completedEntryIds.length + logged.noShowEntryIds.length).toBeGreaterThan(0);
  });
});
