/**
 * Issue 17: opposite-direction reschedules must not deadlock (20261206500001_reschedule_lock_order.sql).
 *
 * Patient A moves from one day to the next, patient B from that next day back to the first, at the same
 * moment (days 6 and 7 from today). The old function locked the visit's own day queue first and the new
 * day's queue second, so A held day 6 and waited for day 7 while B held day 7 and waited for day 6: Postgres
 * killed one of them with a raw 40P01. Now both day queues are locked earlier day first.
 *
 * On PostgreSQL the interleaving is forced, not hoped for: a third transaction holds day 6's queue; A's
 * reschedule is started and seen waiting for a lock, then B's; then the holder commits (A is first in line).
 * With the old order B already held day 7 and A, getting day 6, then waited for B: a deadlock.
 * Then rounds of opposite moves (distinct slots and each to the other's slot) run at once in alternating arrival
 * order. On both databases: if Postgres still reports a deadlock or a serialization failure inside the call
 * (provoked by a trigger that raises it, in a rolled-back transaction), the answer is the coded, retryable
 * PT409 CONCURRENCY.RETRY and nothing is written. PGlite runs one transaction at a time (no interleaving);
 * the rounds run there too. The database clock is pinned (today 08:00 in the clinic).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DbError, DbTx } from '../local/db/types';
import { DB_KINDS, type TestDb } from './helpers/testDb';
import { becomeActor, resetActor, rpc, type Actor } from './helpers/sql';
import { ACTORS, ID, localAt } from './helpers/world';
import { openPinnedWorld } from './helpers/pinnedWorld';

interface Booked {
  entry_id: string;
  queue_id: string;
  slot_start: string;
}

class Rollback extends Error {}

describe.each(DB_KINDS)('reschedule lock order on %s', (kind) => {
  let t: TestDb;
  beforeAll(async () => {
    t = await openPinnedWorld(kind, '08:00', { poolSize: 6 });
    // each round leaves both patients' moved visits upcoming; the cap on a patient's upcoming visits (V1, default 3,
    // bookingAbuse.test) is not what this file is about — the clinic allows its maximum here
    await t.db.query(
      `update public.clinics set settings = settings || '{"max_active_visits_per_patient": 50}'::jsonb where id = $1`,
      [ID.clinicA],
    );
  }, 600_000);
  afterAll(async () => {
    await t?.stop();
  });

  /** Books typeA at `slot` (SQL) for the actor, committed. */
  const book = async (actor: Actor, slot: string): Promise<Booked> => {
    const at = (await t.db.query<{ at: string }>(`select ${slot} as at`)).rows[0]!.at;
    return rpc<Booked>(t.db, actor, 'book_appointment', {
      p_clinic_id: ID.clinicA,
      p_appointment_type_id: ID.typeA,
      p_slot_start: at,
    });
  };

  /** A reschedule in its own transaction; resolves to 'ok' or `<SQLSTATE> <message>`. */
  const move = (actor: Actor, entryId: string, slot: string, started?: (pid: number) => void) =>
    t.db
      .transaction(async (tx) => {
        const pid = (await tx.query<{ pid: number }>('select pg_backend_pid() as pid')).rows[0]?.pid ?? 0;
        started?.(pid);
        await becomeActor(tx, actor);
        await tx.query(`select public.reschedule_appointment($1::uuid, ${slot}) as r`, [entryId]);
        return 'ok';
      })
      .catch((e: DbError) => `${e.code ?? ''} ${e.message ?? ''}`.trim());

  /** Polls pg_stat_activity until backend `pid` waits for a lock (bounded; no fixed sleep decides anything). */
  const waitsForLock = async (pid: () => number): Promise<boolean> => {
    for (let i = 0; i < 3_000; i++) {
      const p = pid();
      if (p) {
        const { rows } = await t.db.query<{ w: string | null }>(
          'select wait_event_type as w from pg_stat_activity where pid = $1',
          [p],
        );
        if (rows[0]?.w === 'Lock') return true;
      }
      await new Promise((r) => setTimeout(r, 10));
    }
    return false;
  };

  const state = async (id: string) =>
    (
      await t.db.query<{ status: string; cancel_reason: string | null }>(
        'select status, cancel_reason from public.queue_entries where id = $1',
        [id],
      )
    ).rows[0];
  const movedTo = async (from: string) =>
    (
      await t.db.query<{ at: string }>(
        `select slot_start as at from public.queue_entries where rescheduled_from = $1 and status = 'scheduled'`,
        [from],
      )
    ).rows.map((r) => new Date(r.at).getTime());
  const instant = async (sql: string) =>
    new Date((await t.db.query<{ at: string }>(`select ${sql} as at`)).rows[0]!.at).getTime();

  if (kind === 'postgres')
    it('A (day 6 → day 7) and B (day 7 → day 6) forced to interleave: both moved, no 40P01', async () => {
      const a = await book(ACTORS.patientA, localAt(6, '10:00'));
      const b = await book(ACTORS.patientB, localAt(7, '10:00'));
      let pidA = 0;
      let pidB = 0;
      let both: Promise<string[]> = Promise.resolve([]);
      await t.db.transaction(async (holder) => {
        // day 6's queue is held: both reschedules will have to wait for it
        await holder.query('select 1 from public.queues where id = $1 for update', [a.queue_id]);
        const ra = move(ACTORS.patientA, a.entry_id, localAt(7, '11:00'), (p) => (pidA = p));
        expect(await waitsForLock(() => pidA)).toBe(true);
        const rb = move(ACTORS.patientB, b.entry_id, localAt(6, '11:00'), (p) => (pidB = p));
        expect(await waitsForLock(() => pidB)).toBe(true);
        both = Promise.all([ra, rb]);
        // the holder commits when this callback returns; A is first in line for day 6
      });
      const results = await both;
      expect(results).toEqual(['ok', 'ok']); // before: one of them was `40P01 deadlock detected`
      expect(await state(a.entry_id)).toEqual({ status: 'cancelled', cancel_reason: 'rescheduled' });
      expect(await state(b.entry_id)).toEqual({ status: 'cancelled', cancel_reason: 'rescheduled' });
      expect(await movedTo(a.entry_id)).toEqual([await instant(localAt(7, '11:00'))]);
      expect(await movedTo(b.entry_id)).toEqual([await instant(localAt(6, '11:00'))]);
    });

  it('opposite moves at once, many rounds (distinct slots, and each to the other’s slot): no deadlock, each moved or coded', async () => {
    const outcomes: string[] = [];
    for (let round = 0; round < 12; round++) {
      // the clinic's grid is 15 min + a 5 min buffer: 12:00, 12:20 … (each round 40 min later)
      const hhmm = (m: number) =>
        `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;
      const from = hhmm(12 * 60 + 40 * round);
      const a = await book(ACTORS.patientA, localAt(8, from));
      const b = await book(ACTORS.patientB, localAt(9, from));
      // even rounds: each to the other's slot (one may find it still taken: BOOKING.SLOT_FULL, coded);
      // odd rounds: each to a free slot of the other day
      const swap = round % 2 === 0;
      const target = (day: number) => localAt(day, swap ? from : hhmm(12 * 60 + 40 * round + 20));
      const calls = [
        () => move(ACTORS.patientA, a.entry_id, target(9)),
        () => move(ACTORS.patientB, b.entry_id, target(8)),
      ];
      // the order of arrival alternates every two rounds (each kind of move sees both orders)
      const ordered = round % 4 < 2 ? calls : [...calls].reverse();
      const got = await Promise.all(ordered.map((c) => c()));
      outcomes.push(...got);
      if (!swap) expect(got).toEqual(['ok', 'ok']);
      // clean the days for the next round: the patient has one open visit per day
      await t.db.query(
        `update public.queue_entries set status = 'cancelled', cancel_reason = 'test'
          where status = 'scheduled' and patient_id in ($1, $2)`,
        [ID.patientRecA, ID.patientRecB],
      );
    }
    expect(outcomes.filter((o) => o.startsWith('40P01') || o.startsWith('40001'))).toEqual([]);
    for (const o of outcomes) expect(o).toMatch(/^(ok|PT409 BOOKING\.SLOT_FULL)$/);
  });

  for (const [sqlstate, condition, day] of [
    ['40P01', 'deadlock_detected', 10],
    ['40001', 'serialization_failure', 11],
  ] as const)
    it(`a ${condition} Postgres still reports inside the call is the coded PT409 CONCURRENCY.RETRY, nothing written`, async () => {
      const a = await book(ACTORS.patientA, localAt(day, '10:00'));
      await t.db
        .transaction(async (tx: DbTx) => {
          // the new visit's insert fails as a lost deadlock would (rolled back with the test's transaction)
          await tx.query(`create function public.test_lost_race() returns trigger language plpgsql as $f$
                          begin raise exception 'lost a race' using errcode = '${condition}'; end $f$`);
          await tx.query(`create trigger test_lost_race after insert on public.queue_entries
                          for each row execute function public.test_lost_race()`);
          const before = (await tx.query<{ n: string }>('select count(*) as n from public.queue_entries'))
            .rows[0]!.n;
          await tx.query('savepoint call');
          let outcome = 'ok';
          try {
            await becomeActor(tx, ACTORS.patientA);
            await tx.query(`select public.reschedule_appointment($1::uuid, ${localAt(day, '11:00')})`, [
              a.entry_id,
            ]);
          } catch (e) {
            const err = e as DbError;
            outcome = `${err.code ?? ''} ${err.message}`;
            await tx.query('rollback to savepoint call');
          }
          await resetActor(tx);
          // before: the raw `${sqlstate} lost a race`
          expect(outcome).toBe('PT409 CONCURRENCY.RETRY');
          expect(outcome).not.toContain(sqlstate);
          const after = (await tx.query<{ n: string }>('select count(*) as n from public.queue_entries'))
            .rows[0]!.n;
          expect(after).toBe(before);
          expect(
            (
              await tx.query<{ status: string }>('select status from public.queue_entries where id = $1', [
                a.entry_id,
              ])
            ).rows[0]?.status,
          ).toBe('scheduled');
          throw new Rollback();
        })
        .catch((e: unknown) => {
          if (!(e instanceof Rollback)) throw e;
        });
      // the same move goes through once the race is gone
      expect(await move(ACTORS.patientA, a.entry_id, localAt(day, '11:00'))).toBe('ok');
    });
});
