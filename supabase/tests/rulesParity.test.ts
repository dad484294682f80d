/**
 * Rules written twice — in the domain (TypeScript) and in the database (SQL) — give the same answers, on
 * PGlite and PostgreSQL (issue 11; the others: queueParity, daySummaryParity, settingsParity, eventPayloads):
 *   - allowed status transitions: ALLOWED_TRANSITIONS = private.entry_transition_allowed (the row guard) and
 *     = the moves private.verify_step's event table lets a step make (each status-changing event from each
 *     status, and the end of day);
 *   - the board's "next" list: private.board_lists = QueueOrder.boardNext (priority, key, tiebreak, ticket, id);
 *   - the ticket label (board, tracker, "My visits", SMS): private.ticket_label = TicketNumber.render;
 *   - the check-in order key: check_in = QueueAggregate.checkIn (slot time up to on_time_tolerance, then now);
 *   - grace expiry: private.expire_grace = the aggregate (expired when grace_ends_at <= now; no_show_at = end);
 *   - the default visit length: private.type_duration(clinic, null) = defaultVisitMinutes.
 * Every database call is rolled back.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { boardNext } from '../../src/services/queue/models/QueueOrder';
import {
  ALLOWED_TRANSITIONS,
  ENTRY_STATUSES,
  canTransition,
  type EntryStatus,
  type QueueEntry,
} from '../../src/services/queue/models/QueueEntry';
import { TicketNumber, renderTicket } from '../../src/services/queue/models/TicketNumber';
import { defaultVisitMinutes } from '../../src/services/queue/models/VisitLength';
import {
  at,
  booked,
  checkIn,
  ctx,
  entry,
  must,
  newQueue,
  walkIn,
} from '../../src/services/queue/models/testing/queueTestKit';
import type { DbTx } from '../local/db/types';
import { DB_KINDS, openTestDb } from './helpers/testDb';
import type { TestDb } from './helpers/testDb';
import { becomeActor, resetActor, tryAsActor } from './helpers/sql';
import { ACTORS, ID, createWorld } from './helpers/world';
import { EVENT_PAYLOADS } from './helpers/events';

const STATUS_EVENTS = [
  'PatientCheckedIn',
  'PatientCalled',
  'ServiceStarted',
  'ServiceFinished',
  'PatientMarkedAbsent',
  'PatientReturned',
  'GraceExpired',
  'EntryCancelled',
  'NoShowReactivated',
];

describe.each(DB_KINDS)('rules written twice agree on %s', (kind) => {
  let t: TestDb;
  beforeAll(async () => {
    t = await openTestDb(kind, { poolSize: 2 });
    await createWorld(t.db);
  }, 600_000);
  afterAll(async () => {
    await t?.stop();
  });

  /** Runs fn as the superuser in a transaction that is rolled back. */
  const rolledBack = async <T>(fn: (tx: DbTx) => Promise<T>): Promise<T> => {
    const o = await tryAsActor(t.db, ACTORS.service, async (tx) => {
      await resetActor(tx);
      return fn(tx);
    });
    if (!o.ok) throw new Error(`${o.code} ${o.message} ${o.detail ?? ''}`);
    return o.value;
  };
  const pin = (tx: DbTx, iso: string) =>
    tx.query(
      `insert into private.pinned_clock (at) values ($1) on conflict (id) do update set at = excluded.at`,
      [iso],
    );

  it('allowed status transitions: the row guard = the domain, for all 64 pairs', async () => {
    const { rows } = await t.db.query<{ f: string; t: string; ok: boolean }>(
      `select f::text as f, t::text as t, private.entry_transition_allowed(f, t) as ok
         from unnest(enum_range(null::public.entry_status)) f, unnest(enum_range(null::public.entry_status)) t`,
    );
    expect(
      rows
        .map((r) => r.f)
        .filter((v, i, a) => a.indexOf(v) === i)
        .sort(),
    ).toEqual([...ENTRY_STATUSES].sort());
    const mismatches = rows.filter(
      (r) => r.ok !== (r.f === r.t || canTransition(r.f as EntryStatus, r.t as EntryStatus)),
    );
    expect(mismatches).toEqual([]);
  });

  it("allowed status transitions: the moves verify_step's event table accepts = the domain's", async () => {
    // one entry per (from, event, to): inserted at `to`, verified as a step from `from` with that one event
    const cases = ENTRY_STATUSES.flatMap((from) =>
      STATUS_EVENTS.flatMap((type) => ENTRY_STATUSES.map((to) => ({ from, type, to }))),
    );
    const dayEnd = ENTRY_STATUSES.flatMap((from) => ENTRY_STATUSES.map((to) => ({ from, to })));
    const accepted = new Set<string>();
    await rolledBack(async (tx) => {
      await tx.query(`delete from public.queue_entries where queue_id = $1`, [ID.queueA1]);
      let n = 0;
      const tryStep = async (
        from: EntryStatus,
        to: EntryStatus,
        events: { type: string; payload: unknown }[],
        queue: unknown,
      ) => {
        n += 1;
        const id = `a5000000-0000-4000-8000-${String(900000000000 + n)}`;
        await tx.exec('savepoint c');
        // the entry as the step leaves it (an insert: any status, no guard) — a failure here fails the test
        await tx.query(
          `insert into public.queue_entries (id, queue_id, clinic_id, patient_id, kind, status, ticket_number,
                                             order_key, absent_at, grace_ends_at, checked_in_at)
           values ($1, $2, $3, $4, 'walk_in', $5, $6, 1, private.now(), private.now() + interval '10 minutes',
                   private.now())`,
          [id, ID.queueA1, ID.clinicA, ID.walkInA, to, 1000 + n],
        );
        const before = {
          [id]: {
            status: from,
            skip_count: 0,
            priority: 'normal',
            order_key: 1,
            order_tiebreak: 1000 + n,
            practitioner_id: null,
            grace_ends_at: '2000-01-01T00:00:00Z',
          },
        };
        const withEntry = events.map((e) => ({ ...e, entry_id: e.type === 'DayEnded' ? null : id }));
        try {
          await tx.query(`select private.verify_step($1, $2::jsonb, $3::jsonb, $4::jsonb, $5::jsonb)`, [
            ID.queueA1,
            JSON.stringify(before),
            JSON.stringify([{ id }]),
            JSON.stringify(withEntry),
            JSON.stringify(queue),
          ]);
          return null;
        } catch (e) {
          return `${(e as Error).message} ${(e as { detail?: string }).detail ?? ''}`;
        } finally {
          await tx.exec('rollback to savepoint c');
        }
      };
      for (const c of cases) {
        const problem = await tryStep(c.from, c.to, [{ type: c.type, payload: EVENT_PAYLOADS[c.type] }], {});
        expect(problem ?? '', `${c.type} ${c.from}->${c.to}`).not.toMatch(
          /PAYLOAD_INVALID|must be|is required/,
        );
        if (problem === null || !/does not match/.test(problem)) accepted.add(`${c.from}->${c.to}`);
      }
      for (const c of dayEnd) {
        const problem = await tryStep(
          c.from,
          c.to,
          [{ type: 'DayEnded', payload: EVENT_PAYLOADS.DayEnded }],
          {
            status: 'closed',
          },
        );
        if (problem === null || !/does not match/.test(problem)) accepted.add(`${c.from}->${c.to}`);
      }
    });
    // what the database lets a step do: verify_step's table, through the row guard
    const { rows: guard } = await t.db.query<{ m: string }>(
      `select f::text || '->' || t::text as m
         from unnest(enum_range(null::public.entry_status)) f, unnest(enum_range(null::public.entry_status)) t
        where f <> t and private.entry_transition_allowed(f, t)`,
    );
    const guarded = new Set(guard.map((r) => r.m));
    const database = [...accepted]
      .filter((m) => guarded.has(m) && m.split('->')[0] !== m.split('->')[1])
      .sort();
    const domain = Object.entries(ALLOWED_TRANSITIONS)
      .flatMap(([from, tos]) => tos.map((to) => `${from}->${to}`))
      .sort();
    expect(database).toEqual(domain);
  }, 900_000); // 648 + 64 rolled-back steps: about a minute on PGlite on a busy machine

  it("the board's next tickets: private.board_lists = QueueOrder.boardNext (ties broken alike)", async () => {
    const { lists, rows } = await rolledBack(async (tx) => {
      // 14 waiting entries over two pools: equal keys with and without tiebreaks, priorities, a later ticket
      // with a smaller tiebreak, sub-millisecond keys; plus non-waiting ones that never show
      const values = [
        [11, '2000', '11', 'normal', null],
        [12, '2000', '0.5', 'normal', ID.memberPractA],
        [13, '2000', null, 'normal', null],
        [14, '1999.9999', '14', 'normal', ID.memberPractA],
        [15, '2000', '11', 'normal', ID.memberPractA],
        [16, '3000', null, 'urgent', null],
        [17, '3000', '1', 'urgent', ID.memberPractA],
        [18, '4000', null, 'emergency', null],
        [19, '100', null, 'normal', null],
        [20, '2000.0001', '1', 'normal', null],
        [21, '2500', '25', 'normal', null],
        [22, '2500', '24.5', 'normal', ID.memberPractA],
        [23, '2500', '24.5', 'normal', null],
        [24, '50', null, 'normal', ID.memberPractA],
      ] as const;
      await tx.query(
        `update public.queue_entries set status = 'cancelled', cancelled_at = private.now()
                       where queue_id = $1 and status = 'waiting'`,
        [ID.queueA],
      );
      for (const [n, key, tb, prio, pract] of values)
        await tx.query(
          `insert into public.queue_entries (id, queue_id, clinic_id, patient_id, kind, status, ticket_number,
                                             order_key, order_tiebreak, priority, practitioner_id, checked_in_at)
           values ($1, $2, $3, $4, 'walk_in', 'waiting', $5, $6::numeric, $7::numeric, $8, $9, private.now())`,
          [
            `a5000000-0000-4000-8000-0000000003${n}`,
            ID.queueA,
            ID.clinicA,
            ID.walkInA,
            n,
            key,
            tb,
            prio,
            pract,
          ],
        );
      const c = await tx.query<{ l: { next: { ticket: string }[] } }>(
        `select private.board_lists(c, $2) as l from public.clinics c where c.id = $1`,
        [ID.clinicA, ID.queueA],
      );
      const r = await tx.query<{
        id: string;
        ticket_number: number;
        order_key: string;
        order_tiebreak: string;
        priority: string;
        status: string;
      }>(
        `select id, ticket_number, order_key::text, order_tiebreak::text, priority::text, status::text
           from public.queue_entries where queue_id = $1`,
        [ID.queueA],
      );
      return { lists: c.rows[0]!.l, rows: r.rows };
    });
    const entries = rows.map(
      (r) =>
        ({
          id: r.id,
          ticketNumber: r.ticket_number,
          orderKey: Number(r.order_key) * 1000,
          orderTiebreak: Number(r.order_tiebreak),
          priority: r.priority,
          status: r.status,
        }) as unknown as QueueEntry,
    );
    const domain = boardNext(entries).map((e) => renderTicket(e, 'A'));
    expect(lists.next.map((n) => n.ticket)).toEqual(domain);
    expect(lists.next).toHaveLength(10);
  });

  it('the ticket label: private.ticket_label = TicketNumber.render (every prefix length, 1 to 5 digits)', async () => {
    const cases = ['A', 'QM', 'XYZ'].flatMap((prefix) =>
      [1, 9, 10, 99, 100, 999, 1000, 12345].map((n) => ({ prefix, n })),
    );
    const { rows } = await t.db.query<{ l: string }>(
      `select private.ticket_label(x ->> 'prefix', (x ->> 'n')::integer) as l
         from jsonb_array_elements($1::jsonb) with ordinality as a(x, i) order by i`,
      [JSON.stringify(cases)],
    );
    expect(rows.map((r) => r.l)).toEqual(
      cases.map((c) => {
        const tn = TicketNumber.of(c.n, c.prefix);
        return tn.ok ? tn.value.render() : 'bad';
      }),
    );
  });

  it('the check-in order key: check_in = QueueAggregate.checkIn, around on_time_tolerance_minutes', async () => {
    // the domain: a booked 10:00 slot, default tolerance 10 min; key offset from the slot (ms)
    const offsets = ['09:50', '10:10', '10:10:00.001', '10:25'];
    const domain = offsets.map((hhmm) => {
      const q = newQueue();
      booked(q, 'b', '10:00');
      checkIn(q, 'b', hhmm);
      return entry(q, 'b').orderKey - Date.parse(at('10:00'));
    });
    const database: number[] = [];
    for (const hhmm of offsets) {
      const afterSlotMs = Date.parse(at(hhmm)) - Date.parse(at('10:00'));
      database.push(
        await rolledBack(async (tx) => {
          // entry A (booked, scheduled, today): its slot at today's 10:00 in the clinic, the clock pinned
          const { rows } = await tx.query<{ slot: string }>(
            `update public.queue_entries
                set slot_start = ((private.clinic_today('Africa/Casablanca')) + time '10:00') at time zone 'Africa/Casablanca',
                    slot_end = ((private.clinic_today('Africa/Casablanca')) + time '10:15') at time zone 'Africa/Casablanca'
              where id = $1 returning to_char(slot_start at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') as slot`,
            [ID.entryA],
          );
          const slotMs = Date.parse(rows[0]!.slot);
          await pin(tx, new Date(slotMs + afterSlotMs).toISOString());
          await becomeActor(tx, ACTORS.service);
          const r = await tx.query<{ k: string }>(`select (public.check_in($1) ->> 'order_key') as k`, [
            ID.entryA,
          ]);
          return Math.round(Number(r.rows[0]!.k) * 1000) - slotMs;
        }),
      );
    }
    expect(database).toEqual(domain);
    expect(domain[1]).toBe(0); // on time up to the tolerance…
    expect(domain[2]).toBe(10 * 60_000 + 1); // …then the arrival time
  });

  it('grace expiry: private.expire_grace = the aggregate (due at grace_ends_at, no-show at its end)', async () => {
    // the domain: absent at 09:00, grace 10 min; the queue read at 09:09:59.999 / 09:10 / 09:10:00.001
    const reads = ['09:09:59.999', '09:10', '09:10:00.001'];
    const domain = reads.map((hhmm) => {
      const q = newQueue({ grace_period_minutes: 10 });
      walkIn(q, 'w', '08:50');
      must(q.callNext(ctx('08:55'), { practitionerId: null, room: 'R1' }));
      must(q.markAbsent(ctx('09:00'), { entryId: 'w' }));
      must(q.expireGrace(ctx(hhmm)));
      const e = entry(q, 'w');
      return {
        status: e.status,
        noShowAfterGraceMs: e.noShowAt === null ? null : Date.parse(e.noShowAt) - Date.parse(at('09:10')),
      };
    });
    const database = [];
    for (const hhmm of reads) {
      const sinceEnd = Date.parse(at(hhmm)) - Date.parse(at('09:10'));
      database.push(
        await rolledBack(async (tx) => {
          const end = '2030-01-07T09:10:00.000Z';
          await tx.query(
            `update public.queue_entries set status = 'absent', absent_at = $2::timestamptz - interval '10 minutes',
                    grace_ends_at = $2::timestamptz where id = $1`,
            [ID.entryB, end],
          );
          await pin(tx, new Date(Date.parse(end) + sinceEnd).toISOString());
          await tx.query(`select private.expire_grace($1)`, [ID.queueA]);
          const r = await tx.query<{ status: string; ms: string | null }>(
            `select status::text as status, (extract(epoch from (no_show_at - grace_ends_at)) * 1000)::text as ms
               from public.queue_entries where id = $1`,
            [ID.entryB],
          );
          return {
            status: r.rows[0]!.status,
            noShowAfterGraceMs: r.rows[0]!.ms === null ? null : Number(r.rows[0]!.ms),
          };
        }),
      );
    }
    expect(database).toEqual(domain);
    expect(domain.map((d) => d.status)).toEqual(['absent', 'no_show', 'no_show']);
  });

  it('the default visit length: private.type_duration(clinic, null) = defaultVisitMinutes', async () => {
    const sets: { durationMinutes: number; active: boolean }[][] = [
      [],
      [{ durationMinutes: 20, active: false }],
      [
        { durationMinutes: 30, active: true },
        { durationMinutes: 10, active: true },
      ],
      [
        { durationMinutes: 5, active: false },
        { durationMinutes: 25, active: true },
      ],
      [{ durationMinutes: 45, active: true }],
    ];
    const database: number[] = [];
    for (const types of sets)
      database.push(
        await rolledBack(async (tx) => {
          await tx.query(`update public.queue_entries set appointment_type_id = null where clinic_id = $1`, [
            ID.clinicA,
          ]);
          await tx.query(`delete from public.appointment_types where clinic_id = $1`, [ID.clinicA]);
          for (const [i, ty] of types.entries())
            await tx.query(
              `insert into public.appointment_types (clinic_id, name, duration_minutes, active) values ($1, $2, $3, $4)`,
              [ID.clinicA, `type ${i}`, ty.durationMinutes, ty.active],
            );
          const r = await tx.query<{ d: number }>(`select private.type_duration($1, null) as d`, [
            ID.clinicA,
          ]);
          return r.rows[0]!.d;
        }),
      );
    expect(database).toEqual(sets.map((types) => defaultVisitMinutes(types)));
  });
});
