/**
 * Issue 17, W7 (20261210500003_no_show_offers_slot.sql): a no-show frees a booked slot still ahead, and the slot is
 * offered to the waitlist as a cancellation's is (W1); so does a booked visit cancelled after it checked in. A slot
 * that has started offers nothing; a re-activated no-show (D10) holds no slot. The rule's statement:
 * src/services/appointment/models/FreedSlot.ts. On PGlite and PostgreSQL with private.now() pinned (today 09:00
 * in the clinic); every case is rolled back.
 *
 * Today in clinic A: patient A's fixture visit (00:00) is cancelled so A can book 12:00 today and ask for an
 * earlier slot; the walk-in patient books 10:00 (or 09:00), checks in early, is called, marked absent, and the
 * sweep expires the grace — the server's own path to a no-show. Grid: 15-minute slots + 5 minutes' buffer from 00:00.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DbTx } from '../local/db/types';
import { DB_KINDS, type TestDb } from './helpers/testDb';
import { ACTORS, ID, localAt } from './helpers/world';
import { as, openPinnedWorld, rolledBack } from './helpers/pinnedWorld';

interface RequestRow {
  status: string;
  offered_slot_start: string | null;
}

describe.each(DB_KINDS)('waitlist: no-shows free their slot on %s', (kind) => {
  let t: TestDb;
  beforeAll(async () => {
    t = await openPinnedWorld(kind, '09:00');
  }, 600_000);
  afterAll(async () => {
    await t?.stop();
  });

  const book = async (tx: DbTx, patient: string, hhmm: string) =>
    (
      await tx.query<{ id: string }>(
        `select (private.book($1, $2, ${localAt(0, hhmm)}, null, null, false) ->> 'entry_id') as id`,
        [ID.clinicA, patient],
      )
    ).rows[0]!.id;
  const at = async (tx: DbTx, sqlInstant: string) =>
    (await tx.query<{ v: string }>(`select (${sqlInstant})::text as v`)).rows[0]!.v;
  const request = async (tx: DbTx, id: string) =>
    (
      await tx.query<RequestRow>(
        `select status, offered_slot_start::text from public.waitlist_requests where id = $1`,
        [id],
      )
    ).rows[0]!;
  const clock = (tx: DbTx, minutes: number) =>
    tx.query(`update private.pinned_clock set at = at + make_interval(mins => ${minutes})`);
  const sweep = (tx: DbTx) =>
    as<{ expired: number }>(tx, ACTORS.service, `select public.sweep_queues() as r`);

  /** Patient A: booked today 12:00 and waiting for an earlier slot. Returns the request's id. */
  const aWantsEarlier = async (tx: DbTx) => {
    await tx.query(`update public.queue_entries set status = 'cancelled' where id = $1`, [ID.entryA]);
    const a12 = await book(tx, ID.patientRecA, '12:00');
    const asked = await as<{ request_id: string }>(
      tx,
      ACTORS.patientA,
      `select public.request_earlier_slot($1::uuid) as r`,
      [a12],
    );
    expect((await request(tx, asked.request_id)).status).toBe('waiting');
    return asked.request_id;
  };
  /** The walk-in patient's booking at hh:mm checked in early, called, and marked absent now with 10 minutes' grace. */
  const bAbsent = async (tx: DbTx, hhmm: string) => {
    const b = await book(tx, ID.walkInA, hhmm);
    await tx.query(`update public.queue_entries set status = 'waiting' where id = $1`, [b]);
    await tx.query(`update public.queue_entries set status = 'called' where id = $1`, [b]);
    await tx.query(
      `update public.queue_entries set status = 'absent', grace_ends_at = private.now() + interval '10 minutes'
        where id = $1`,
      [b],
    );
    return b;
  };
  const status = async (tx: DbTx, id: string) =>
    (await tx.query<{ s: string }>(`select status::text as s from public.queue_entries where id = $1`, [id]))
      .rows[0]!.s;

  it('W7 waitlist: a no-show frees a slot still ahead — the grace expires at 09:11, the 10:00 slot is offered to the next request', async () => {
    await rolledBack(t.db, async (tx) => {
      const req = await aWantsEarlier(tx);
      const b = await bAbsent(tx, '10:00');
      // absent is not a no-show: nothing offered yet (B may still come back)
      expect((await request(tx, req)).status).toBe('waiting');
      await clock(tx, 11);
      expect((await sweep(tx)).expired).toBe(1);
      expect(await status(tx, b)).toBe('no_show');
      const r = await request(tx, req);
      expect(r.status).toBe('offered');
      expect(r.offered_slot_start).toBe(await at(tx, localAt(0, '10:00')));
    });
  });

  it('W7: a no-show whose slot has started frees nothing — nobody is offered a time that is over', async () => {
    await rolledBack(t.db, async (tx) => {
      const req = await aWantsEarlier(tx);
      const b = await bAbsent(tx, '09:20'); // grace ends 09:10; the sweep runs late, at 09:25: the slot has started
      await clock(tx, 25);
      await sweep(tx);
      expect(await status(tx, b)).toBe('no_show');
      expect((await request(tx, req)).status).toBe('waiting');
    });
  });

  it('W7: a booked visit cancelled after it checked in frees its slot still ahead', async () => {
    await rolledBack(t.db, async (tx) => {
      const req = await aWantsEarlier(tx);
      const b = await book(tx, ID.walkInA, '10:00');
      await tx.query(`update public.queue_entries set status = 'waiting' where id = $1`, [b]);
      expect((await request(tx, req)).status).toBe('waiting');
      await as(tx, ACTORS.recepA, `select public.cancel_appointment($1::uuid) as r`, [b]);
      expect(await status(tx, b)).toBe('cancelled');
      const r = await request(tx, req);
      expect(r.status).toBe('offered');
      expect(r.offered_slot_start).toBe(await at(tx, localAt(0, '10:00')));
    });
  });

  it('W7 + D10: a re-activated no-show holds no slot, so its second no-show offers nothing', async () => {
    await rolledBack(t.db, async (tx) => {
      const req = await aWantsEarlier(tx);
      const b = await bAbsent(tx, '10:00');
      await clock(tx, 11);
      await sweep(tx);
      // A is offered 10:00 and declines; B is re-activated (D10: a fresh arrival without its slot)
      await as(tx, ACTORS.patientA, `select public.withdraw_earlier_slot($1::uuid) as r`, [req]);
      await tx.query(`update public.queue_entries set status = 'waiting', reactivations = 1 where id = $1`, [
        b,
      ]);
      await tx.query(`update public.queue_entries set status = 'called' where id = $1`, [b]);
      await tx.query(
        `update public.queue_entries set status = 'absent', grace_ends_at = private.now() + interval '10 minutes'
          where id = $1`,
        [b],
      );
      // a second request for an earlier slot: B's second no-show must not offer it 10:00 as if B freed it
      await tx.query(`update public.queue_entries set status = 'cancelled' where id = $1`, [ID.entryB]);
      const b2 = await book(tx, ID.patientRecB, '12:40');
      await tx.query(
        `insert into public.waitlist_requests (clinic_id, entry_id, day) values ($1, $2, private.clinic_today('Africa/Casablanca'))`,
        [ID.clinicA, b2],
      );
      // 10:00 is free (B no longer counts): any booking may take it, but no offer is made by the no-show
      await clock(tx, 11);
      await sweep(tx);
      expect(await status(tx, b)).toBe('no_show');
      const { rows } = await tx.query<{ status: string }>(
        `select status from public.waitlist_requests where entry_id = $1`,
        [b2],
      );
      expect(rows).toEqual([{ status: 'waiting' }]);
    });
  });
});
