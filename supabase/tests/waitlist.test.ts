/**
 * Issue 17, waitlist (20261207300002_waitlist.sql), first slice: a patient with a booked visit asks for an
 * earlier slot on its day; a freed slot goes to the earliest request whose visit is later. On PGlite and
 * PostgreSQL with private.now() pinned (today 09:00 in the clinic); every case is rolled back. Tomorrow's
 * queue of clinic A holds patient A's 11:00 booking (entryA1); the cases add patient B's bookings.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DbTx } from '../local/db/types';
import { DB_KINDS, type TestDb } from './helpers/testDb';
import { becomeActor, resetActor, type Actor } from './helpers/sql';
import { ACTORS, ID, localAt } from './helpers/world';
import { as, openPinnedWorld, refused, rolledBack } from './helpers/pinnedWorld';

interface Requested {
  request_id: string;
  entry_id: string;
  day: string;
  status: string;
  position: number;
}

describe.each(DB_KINDS)('waitlist on %s', (kind) => {
  let t: TestDb;
  beforeAll(async () => {
    t = await openPinnedWorld(kind, '09:00');
  }, 600_000);
  afterAll(async () => {
    await t?.stop();
  });

  const ask = (tx: DbTx, actor: Actor, entryId: string) =>
    as<Requested>(tx, actor, `select public.request_earlier_slot($1::uuid) as r`, [entryId]);
  /** Patient B's booking tomorrow at hh:mm in clinic A (a new entry of tomorrow's queue). */
  const bookB = async (tx: DbTx, id: string, ticket: number, hhmm: string) => {
    await tx.query(
      `insert into public.queue_entries (id, queue_id, clinic_id, patient_id, kind, status, ticket_number,
                                         order_key, slot_start, slot_end)
       values ($1, $2, $3, $4, 'booked', 'scheduled', $5, extract(epoch from ${localAt(1, hhmm)}),
               ${localAt(1, hhmm)}, ${localAt(1, hhmm)} + interval '15 minutes')`,
      [id, ID.queueA1, ID.clinicA, ID.patientRecB, ticket],
    );
  };
  const next = async (tx: DbTx, hhmm: string) =>
    (
      await tx.query<{ id: string | null }>(
        `select private.waitlist_next($1, private.clinic_today('Africa/Casablanca') + 1, ${localAt(1, hhmm)}) as id`,
        [ID.clinicA],
      )
    ).rows[0]!.id;
  const B1 = 'a6000000-0000-4000-8000-000000000001';
  const B2 = 'a6000000-0000-4000-8000-000000000002';

  // slots are on clinic A's grid (15 min + 5 min buffer from 00:00): since 20261208400002 a request is offered
  // only a slot its visit type can start at
  it('waitlist: first come, first served for an earlier slot — a freed slot goes to the earliest request whose visit is later; an earlier visit is passed over', async () => {
    await rolledBack(t.db, async (tx) => {
      await bookB(tx, B1, 7, '12:00');
      await bookB(tx, B2, 8, '10:00');
      const a = await ask(tx, ACTORS.patientA, ID.entryA1); // 11:00, asked first
      await tx.query(`update private.pinned_clock set at = at + interval '1 minute'`);
      const b1 = await ask(tx, ACTORS.patientB, B1); // 12:00
      await tx.query(`update private.pinned_clock set at = at + interval '1 minute'`);
      const b2 = await ask(tx, ACTORS.patientB, B2); // 10:00
      expect([a.position, b1.position, b2.position]).toEqual([1, 2, 3]);
      expect(a).toMatchObject({ entry_id: ID.entryA1, status: 'waiting' });
      // an 09:00 slot frees: the first request (A at 11:00) gets it
      expect(await next(tx, '09:00')).toBe(a.request_id);
      // a 10:40 slot: A (11:00) still first; B's 10:00 visit is earlier than the slot, never offered it
      expect(await next(tx, '10:40')).toBe(a.request_id);
      // an 11:40 slot: A's visit is earlier → passed over; B's 12:00 is next
      expect(await next(tx, '11:40')).toBe(b1.request_id);
      // A withdraws: the 09:00 slot now goes to B's 12:00 request (asked before the 10:00 one)
      expect(
        await as(tx, ACTORS.patientA, `select public.withdraw_earlier_slot($1::uuid) as r`, [a.request_id]),
      ).toEqual({ request_id: a.request_id, status: 'withdrawn' });
      expect(await next(tx, '09:00')).toBe(b1.request_id);
      // a visit no longer scheduled stops counting
      await tx.query(`update public.queue_entries set status = 'cancelled' where id = $1`, [B1]);
      expect(await next(tx, '09:00')).toBe(b2.request_id);
      expect(await next(tx, '12:40')).toBeNull();
    });
  });

  it('one open request per visit: asking again returns the same request', async () => {
    await rolledBack(t.db, async (tx) => {
      const first = await ask(tx, ACTORS.patientA, ID.entryA1);
      const again = await ask(tx, ACTORS.patientA, ID.entryA1);
      expect(again).toEqual(first);
      const n = await tx.query(`select 1 from public.waitlist_requests where entry_id = $1`, [ID.entryA1]);
      expect(n.rows).toHaveLength(1);
    });
  });

  it('who and what: only the patient’s own booked visit still ahead; another patient, staff and anon cannot ask or withdraw; reads follow RLS', async () => {
    await rolledBack(t.db, async (tx) => {
      const sql = `select public.request_earlier_slot($1::uuid) as r`;
      expect(await refused(tx, ACTORS.patientB, sql, [ID.entryA1])).toBe('PT404 NOT_FOUND');
      expect(await refused(tx, ACTORS.ownerA, sql, [ID.entryA1])).toBe('PT404 NOT_FOUND');
      expect(await refused(tx, ACTORS.anon, sql, [ID.entryA1])).toMatch(/^42501 /);
      // a walk-in, and a booking whose slot has started, cannot ask
      expect(await refused(tx, ACTORS.patientB, sql, [ID.entryB])).toBe('PT409 QUEUE.ILLEGAL_TRANSITION');
      await tx.query(
        `update public.queue_entries set slot_start = private.now() - interval '1 minute',
                slot_end = private.now() + interval '14 minutes' where id = $1`,
        [ID.entryA],
      );
      expect(await refused(tx, ACTORS.patientA, sql, [ID.entryA])).toBe('PT409 QUEUE.ILLEGAL_TRANSITION');
      const a = await ask(tx, ACTORS.patientA, ID.entryA1);
      const withdraw = `select public.withdraw_earlier_slot($1::uuid) as r`;
      expect(await refused(tx, ACTORS.patientB, withdraw, [a.request_id])).toBe('PT404 NOT_FOUND');
      const seen = async (who: Actor) => {
        await becomeActor(tx, who);
        const r = await tx.query(`select id from public.waitlist_requests`);
        await resetActor(tx);
        return r.rows.length;
      };
      expect(await seen(ACTORS.patientA)).toBe(1);
      expect(await seen(ACTORS.patientB)).toBe(0);
      expect(await seen(ACTORS.recepA)).toBe(1);
      expect(await seen(ACTORS.ownerB)).toBe(0);
    });
  });
});
