/**
 * Issue 17 (session 15): a patient moves a fluid visit to another day's line (public.reschedule_fluid_place,
 * migration 20261213400002, docs/fluid-queues.md). One call, one transaction: the old place is cancelled (reason
 * `rescheduled`) only if the new day's place is taken (F1–F4 with the booking notice); RS1 a scheduled fluid visit
 * only (a visit with a time: BOOKING.MODE_MISMATCH), RS2 the cancel notice before the visit's day opens, RS4 another
 * day (BOOKING.RESCHEDULE_SAME_DAY). The visit's own patient only.
 *
 * PGlite and PostgreSQL, private.now() pinned at today 09:00 in the clinic; every case is rolled back. Both test
 * clinics are open 00:00–23:00 every day (1,380 minutes, slot_capacity 1); a case closes day 6.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DbTx } from '../local/db/types';
import { DB_KINDS, type TestDb } from './helpers/testDb';
import type { Actor } from './helpers/sql';
import { ACTORS, ID, localAt } from './helpers/world';
import { as, openPinnedWorld, refused, rolledBack } from './helpers/pinnedWorld';
import { fluidDay, setTypeMode } from './helpers/fluidWorld';
import { staffAsPatients } from './helpers/confirmedPhones';

interface Booked {
  entry_id: string;
  queue_id: string;
  day: string;
  ticket: string;
  status: string;
  fluid: boolean;
  slot_start: string | null;
  tracking_token: string;
  rescheduled_from?: string;
}

describe.each(DB_KINDS)('fluid reschedule on %s', (kind) => {
  let t: TestDb;
  beforeAll(async () => {
    t = await openPinnedWorld(kind, '09:00');
  }, 600_000);
  afterAll(async () => {
    await t?.stop();
  });

  const bookFluid = (tx: DbTx, actor: Actor, n: number) =>
    as<Booked>(
      tx,
      actor,
      `select public.book_fluid_place($1::uuid, ${fluidDay(n)}, $2::uuid, null, 'Fluid Patient') as r`,
      [ID.clinicA, ID.typeA2],
    );
  const move = (actor: Actor, entryId: string, n: number | null) =>
    [
      actor,
      `select public.reschedule_fluid_place($1::uuid, ${n === null ? 'null' : fluidDay(n)}) as r`,
      [entryId],
    ] as [Actor, string, unknown[]];
  const row = async (tx: DbTx, id: string) =>
    (
      await tx.query<{
        status: string;
        cancel_reason: string | null;
        fluid: boolean;
        rescheduled_from: string | null;
      }>(`select status, cancel_reason, fluid, rescheduled_from from public.queue_entries where id = $1`, [
        id,
      ])
    ).rows[0]!;
  const placesLeft = async (tx: DbTx, n: number) =>
    (
      await tx.query<{ n: number }>(`select private.fluid_places_left($1::uuid, ${fluidDay(n)}, 30) as n`, [
        ID.clinicA,
      ])
    ).rows[0]!.n;

  it("RS fluid: the visit moves to another day's line in one operation — old place released, new one taken", async () => {
    await rolledBack(t.db, async (tx) => {
      await setTypeMode(tx, ID.typeA2, 'fluid');
      const old = await bookFluid(tx, ACTORS.patientB, 3);
      expect([await placesLeft(tx, 3), await placesLeft(tx, 5)]).toEqual([45, 46]);
      const moved = await as<Booked>(tx, ...move(ACTORS.patientB, old.entry_id, 5));
      expect(moved).toMatchObject({
        fluid: true,
        slot_start: null,
        status: 'scheduled',
        rescheduled_from: old.entry_id,
      });
      expect(moved.entry_id).not.toBe(old.entry_id);
      expect(moved.tracking_token).not.toBe(old.tracking_token);
      const sameDay = await tx.query<{ ok: boolean }>(`select $1::date = ${fluidDay(5)} as ok`, [moved.day]);
      expect(sameDay.rows[0]!.ok).toBe(true);
      expect(await row(tx, old.entry_id)).toMatchObject({
        status: 'cancelled',
        cancel_reason: 'rescheduled',
      });
      expect(await row(tx, moved.entry_id)).toMatchObject({
        status: 'scheduled',
        fluid: true,
        rescheduled_from: old.entry_id,
      });
      expect([await placesLeft(tx, 3), await placesLeft(tx, 5)]).toEqual([46, 45]);
      const ev = await tx.query<{ payload: { reason: string; via: string } }>(
        `select payload from public.queue_events where entry_id = $1 and type = 'EntryCancelled'`,
        [old.entry_id],
      );
      expect(ev.rows.map((r) => [r.payload.reason, r.payload.via])).toEqual([['rescheduled', 'reschedule']]);
    });
  });

  it('RS fluid: a full, closed, past, too far or same day is refused with its code and the old place is kept', async () => {
    await rolledBack(t.db, async (tx) => {
      await setTypeMode(tx, ID.typeA2, 'fluid', 460); // floor(1380 / 460) = 3 places a day
      const old = await bookFluid(tx, ACTORS.patientB, 3);
      await staffAsPatients(tx); // they book as patients below
      for (const a of [ACTORS.patientA, ACTORS.ownerA, ACTORS.recepA]) await bookFluid(tx, a, 5); // day 5 full
      await tx.query(
        `insert into public.closed_dates (clinic_id, day, reason) values ($1, ${fluidDay(6)}, 'Test')`,
        [ID.clinicA],
      );
      const cases: [number | null, string][] = [
        [5, 'PT409 BOOKING.DAY_FULL'],
        [6, 'PT422 BOOKING.CLINIC_CLOSED'],
        [-1, 'PT422 BOOKING.TOO_SOON'],
        [40, 'PT422 BOOKING.BEYOND_HORIZON'],
        [3, 'PT422 BOOKING.RESCHEDULE_SAME_DAY'],
        [null, 'PT422 VALIDATION.FAILED'],
      ];
      for (const [n, code] of cases) {
        expect(await refused(tx, ...move(ACTORS.patientB, old.entry_id, n)), `day ${n}`).toBe(code);
        expect(await row(tx, old.entry_id)).toMatchObject({ status: 'scheduled', cancel_reason: null });
      }
      expect(await placesLeft(tx, 3)).toBe(30); // the old visit still holds 460 minutes: floor(920 / 30)
      const entries = await tx.query<{ n: number }>(
        `select count(*)::int as n from public.queue_entries where patient_id = $1 and fluid`,
        [ID.patientRecB],
      );
      expect(entries.rows[0]!.n).toBe(1); // nothing written by the refusals
    });
  });

  it('RS fluid: too late within the cancel notice before the day opens', async () => {
    await rolledBack(t.db, async (tx) => {
      await setTypeMode(tx, ID.typeA2, 'fluid');
      const old = await bookFluid(tx, ACTORS.patientB, 2);
      // the day opens at 00:00; min_cancel_notice_minutes 120 → from 22:00 the day before it is too late
      const pin = (hhmm: string) =>
        tx.query(
          `update private.pinned_clock set at = ($1::date - 1 + $2::time) at time zone 'Africa/Casablanca'`,
          [old.day, hhmm],
        );
      await pin('22:01');
      expect(await refused(tx, ...move(ACTORS.patientB, old.entry_id, 4))).toBe(
        'PT422 BOOKING.RESCHEDULE_TOO_LATE',
      );
      expect(await row(tx, old.entry_id)).toMatchObject({ status: 'scheduled' });
      await pin('21:59');
      const moved = await as<Booked>(tx, ...move(ACTORS.patientB, old.entry_id, 4));
      expect(moved.rescheduled_from).toBe(old.entry_id);
    });
  });

  it('RS fluid attacks: another patient, another clinic, staff, anon, a visit with a time, a type turned slotted', async () => {
    await rolledBack(t.db, async (tx) => {
      await setTypeMode(tx, ID.typeA2, 'fluid');
      const old = await bookFluid(tx, ACTORS.patientB, 3);
      expect(await refused(tx, ...move(ACTORS.patientA, old.entry_id, 4))).toBe('PT404 NOT_FOUND');
      expect(await refused(tx, ...move(ACTORS.ownerB, old.entry_id, 4))).toBe('PT404 NOT_FOUND');
      expect(await refused(tx, ...move(ACTORS.recepA, old.entry_id, 4))).toBe('PT403 AUTH.FORBIDDEN');
      expect(await refused(tx, ...move(ACTORS.anon, old.entry_id, 4))).toMatch(/^42501 /);
      // another clinic's visit (clinic B's entry) and a visit that does not exist
      expect(await refused(tx, ...move(ACTORS.patientB, ID.entryBclinicB, 4))).toBe('PT404 NOT_FOUND');
      expect(await refused(tx, ...move(ACTORS.patientB, '00000000-0000-4000-8000-00000000dead', 4))).toBe(
        'PT404 NOT_FOUND',
      );
      // a slotted visit through the fluid reschedule, and the fluid visit through the slotted one
      expect(await refused(tx, ...move(ACTORS.patientA, ID.entryA1, 4))).toBe('PT422 BOOKING.MODE_MISMATCH');
      expect(
        await refused(
          tx,
          ACTORS.patientB,
          `select public.reschedule_appointment($1::uuid, ${localAt(4, '10:00')}) as r`,
          [old.entry_id],
        ),
      ).toBe('PT409 QUEUE.ILLEGAL_TRANSITION');
      // a walk-in (not booked) is not moved
      expect(await refused(tx, ...move(ACTORS.patientB, ID.entryB, 4))).toBe(
        'PT409 QUEUE.ILLEGAL_TRANSITION',
      );
      // the visit type became slotted since the booking: the new day is refused, the old place kept
      await setTypeMode(tx, ID.typeA2, 'slotted');
      expect(await refused(tx, ...move(ACTORS.patientB, old.entry_id, 4))).toBe(
        'PT422 BOOKING.MODE_MISMATCH',
      );
      expect(await row(tx, old.entry_id)).toMatchObject({ status: 'scheduled' });
    });
  });
});
