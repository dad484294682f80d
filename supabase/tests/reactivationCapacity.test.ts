/**
 * Issue 12 / 17 (session 10's unproved finding): re-activating a booked no-show (`no_show → waiting`) put the
 * visit back into its slot with no capacity check. A no-show frees its slot (private.booked_overlapping does
 * not count it), so the slot can be booked, or held by a waitlist offer, meanwhile; the re-activation then
 * counted the visit again and the slot held more than `slot_capacity` — and the waitlist patient whose offer
 * was running could no longer take it (BOOKING.SLOT_FULL from accept_earlier_slot).
 *
 * Rule D10 (src/services/queue/models/QueueEntry.ts holdsSlotCapacity; QueueAggregate.rules.test.ts): a
 * re-activated no-show re-enters as a fresh arrival WITHOUT its slot — it never counts against the slot's
 * capacity again, so re-activation can never overbook. Undoing a GraceExpired cannot happen at all: no
 * undo leaves `no_show` (private.undo_transition_allowed), guarded below.
 *
 * PGlite and PostgreSQL, private.now() pinned at today 09:00 in the clinic; every case is rolled back.
 * Clinic A: slot_capacity 1, 15-minute slots + 5 minutes' buffer from 00:00 (11:00 and 12:00 are slots).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DbError, DbTx } from '../local/db/types';
import { ENTRY_STATUSES } from '../../src/services/queue/models/QueueEntry';
import { DB_KINDS, openTestDb, type TestDb } from './helpers/testDb';
import { becomeActor, resetActor, rpcSql, type Actor } from './helpers/sql';
import { queueEvent } from './helpers/events';
import { ACTORS, ID, createWorld, localAt } from './helpers/world';

const P = 'a5000000-0000-4000-8000-0000000000d1'; // walk-in patient's booking today 11:00, a no-show
const Q = 'a3000000-0000-4000-8000-0000000000d2'; // a patient (no account) who books 11:00 meanwhile
const R = 'a3000000-0000-4000-8000-0000000000d3'; // a patient with an account, booked 12:00, on the waitlist
const R_ENTRY = 'a5000000-0000-4000-8000-0000000000d3';
const R_USER = 'c0000000-0000-4000-8000-0000000000d3';
const patientR: Actor = { name: 'patientR', role: 'authenticated', sub: R_USER, phone: '212600000083' };

class Rollback extends Error {}

describe.each(DB_KINDS)('re-activating a no-show never overbooks its slot, on %s', (kind) => {
  let t: TestDb;
  beforeAll(async () => {
    t = await openTestDb(kind);
    await createWorld(t.db);
    await t.db.query(
      `insert into private.pinned_clock (at)
       values ((private.clinic_today('Africa/Casablanca') + time '09:00') at time zone 'Africa/Casablanca')`,
    );
  }, 600_000);
  afterAll(async () => {
    await t?.stop();
  });

  const rolledBack = async (fn: (tx: DbTx) => Promise<void>): Promise<void> => {
    await t.db
      .transaction(async (tx) => {
        await fn(tx);
        throw new Rollback();
      })
      .catch((e: unknown) => {
        if (!(e instanceof Rollback)) throw e;
      });
  };
  const as = async <T>(tx: DbTx, actor: Actor, sql: string, params: unknown[] = []): Promise<T> => {
    await becomeActor(tx, actor);
    const r = (await tx.query<{ r: T }>(sql, params)).rows[0]!.r;
    await resetActor(tx);
    return r;
  };
  const outcome = async (tx: DbTx, actor: Actor, sql: string, params: unknown[] = []): Promise<string> => {
    await tx.query('savepoint try_it');
    try {
      await as(tx, actor, sql, params);
      return 'ok';
    } catch (e) {
      await tx.query('rollback to savepoint try_it');
      await resetActor(tx);
      const err = e as DbError;
      return `${err.code ?? '?'} ${err.message}`;
    }
  };
  /** The world plus: P's 11:00 booking that became a no-show this morning; patients Q and R. */
  const setup = async (tx: DbTx) => {
    await tx.query(
      `insert into auth.users (id, aud, role, phone, phone_confirmed_at, encrypted_password, raw_user_meta_data,
                               created_at, updated_at)
       values ($1, 'authenticated', 'authenticated', '212600000083', now(), 'x', '{}', now(), now())`,
      [R_USER],
    );
    await tx.query(
      `insert into public.patients (id, clinic_id, user_id, full_name, phone) values
         ($1, $3, null, 'Qamar Q', '+212600000082'), ($2, $3, $4, 'Rachid R', '+212600000083')`,
      [Q, R, ID.clinicA, R_USER],
    );
    await tx.query(
      `insert into public.queue_entries (id, queue_id, clinic_id, patient_id, kind, status, ticket_number,
                                         order_key, slot_start, slot_end, checked_in_at, called_at, absent_at,
                                         grace_ends_at, no_show_at)
       values ($1, $2, $3, $4, 'booked', 'no_show', 10, extract(epoch from ${localAt(0, '11:00')}),
               ${localAt(0, '11:00')}, ${localAt(0, '11:15')}, ${localAt(0, '08:00')}, ${localAt(0, '08:30')},
               ${localAt(0, '08:35')}, ${localAt(0, '08:45')}, ${localAt(0, '08:45')})`,
      [P, ID.queueA, ID.clinicA, ID.walkInA],
    );
  };
  const book = async (tx: DbTx, patient: string, hhmm: string) =>
    (
      await tx.query<{ id: string }>(
        `select (private.book($1, $2, ${localAt(0, hhmm)}, null, null, false) ->> 'entry_id') as id`,
        [ID.clinicA, patient],
      )
    ).rows[0]!.id;
  const holders = async (tx: DbTx, hhmm: string, end: string) =>
    (
      await tx.query<{ n: number }>(
        `select private.booked_overlapping($1, ${localAt(0, hhmm)}, ${localAt(0, end)}) as n`,
        [ID.clinicA],
      )
    ).rows[0]!.n;
  const capacity = async (tx: DbTx) =>
    (
      await tx.query<{ n: number }>(
        `select (private.effective_settings(settings) ->> 'slot_capacity')::integer as n
           from public.clinics where id = $1`,
        [ID.clinicA],
      )
    ).rows[0]!.n;
  /** The receptionist re-activates P as the desk's QueueAggregate.reactivateNoShow saves it. */
  const reactivate = async (tx: DbTx) => {
    const { v, now, key } = (
      await tx.query<{ v: number; now: string; key: string }>(
        `select version as v, private.now()::text as now, extract(epoch from private.now())::text as key
           from public.queues where id = $1`,
        [ID.queueA],
      )
    ).rows[0]!;
    const { sql, params } = rpcSql('save_queue_step', {
      p_queue_id: ID.queueA,
      p_expected_version: v,
      p_entries: JSON.stringify([
        {
          id: P,
          status: 'waiting',
          checked_in_at: now,
          order_key: Number(key),
          order_tiebreak: 10,
          skip_count: 0,
          called_at: null,
          absent_at: null,
          grace_ends_at: null,
          no_show_at: null,
          reactivations: 1,
        },
      ]),
      p_events: JSON.stringify([queueEvent('NoShowReactivated', P, { ticket: 'A-010' })]),
    });
    return outcome(tx, ACTORS.recepA, sql, params);
  };

  it('D10: a slot booked meanwhile keeps its capacity when the no-show is re-activated (fresh arrival, no slot)', async () => {
    await rolledBack(async (tx) => {
      await setup(tx);
      expect(await holders(tx, '11:00', '11:15')).toBe(0); // the no-show freed 11:00 …
      await book(tx, Q, '11:00'); // … and Q booked it
      expect(await holders(tx, '11:00', '11:15')).toBe(1);
      expect(await reactivate(tx)).toBe('ok'); // staff may re-activate a no-show of today
      const p = (
        await tx.query<{ status: string }>(`select status::text from public.queue_entries where id = $1`, [P])
      ).rows[0]!;
      expect(p.status).toBe('waiting');
      // never more patients counted in a slot than it holds
      expect(await holders(tx, '11:00', '11:15')).toBeLessThanOrEqual(await capacity(tx));
    });
  });

  it('D10: a waitlist offer holding the slot meanwhile can still be taken after the no-show is re-activated', async () => {
    await rolledBack(async (tx) => {
      await setup(tx);
      const q11 = await book(tx, Q, '11:00');
      await tx.query(
        `insert into public.queue_entries (id, queue_id, clinic_id, patient_id, kind, status, ticket_number,
                                           order_key, slot_start, slot_end)
         values ($1, $2, $3, $4, 'booked', 'scheduled', 20, extract(epoch from ${localAt(0, '12:00')}),
                 ${localAt(0, '12:00')}, ${localAt(0, '12:15')})`,
        [R_ENTRY, ID.queueA, ID.clinicA, R],
      );
      const req = await as<{ request_id: string }>(
        tx,
        patientR,
        `select public.request_earlier_slot($1::uuid) as r`,
        [R_ENTRY],
      );
      // staff cancel Q's 11:00: W1 offers it to R and holds it
      expect(await outcome(tx, ACTORS.recepA, `select public.cancel_appointment($1::uuid) as r`, [q11])).toBe(
        'ok',
      );
      const w = (
        await tx.query<{ status: string }>(`select status from public.waitlist_requests where id = $1`, [
          req.request_id,
        ])
      ).rows[0]!;
      expect(w.status).toBe('offered');
      expect(await holders(tx, '11:00', '11:15')).toBe(1); // the hold
      expect(await reactivate(tx)).toBe('ok');
      expect(await holders(tx, '11:00', '11:15')).toBeLessThanOrEqual(await capacity(tx));
      // the offer is still R's to take: accepting books 11:00
      expect(
        await outcome(tx, patientR, `select public.accept_earlier_slot($1::uuid) as r`, [req.request_id]),
      ).toBe('ok');
      expect(await holders(tx, '11:00', '11:15')).toBe(1);
    });
  });

  it('D10: after a re-activation the freed slot can be booked (the fresh arrival does not reclaim it)', async () => {
    await rolledBack(async (tx) => {
      await setup(tx);
      expect(await reactivate(tx)).toBe('ok');
      expect(await holders(tx, '11:00', '11:15')).toBe(0);
      await book(tx, Q, '11:00');
      expect(await holders(tx, '11:00', '11:15')).toBe(1);
    });
  });

  it('a GraceExpired is never undone: no undo moves an entry out of no_show (guard)', async () => {
    const { rows } = await t.db.query<{ to: string; allowed: boolean }>(
      `select s as to, private.undo_transition_allowed('no_show', s) as allowed
         from unnest($1::text[]) s where s <> 'no_show'`,
      [ENTRY_STATUSES],
    );
    expect(rows.length).toBe(ENTRY_STATUSES.length - 1);
    expect(rows.filter((r) => r.allowed)).toEqual([]);
  });
});
