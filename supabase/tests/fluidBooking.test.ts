/**
 * Issue 17: fluid visit types (rules F1–F4, docs/fluid-queues.md, src/services/appointment/models/BookingMode.ts;
 * migration 20261211300001_fluid_queues.sql). A fluid booking takes a place in a day's line, no time.
 *
 * PGlite and PostgreSQL, private.now() pinned at today 09:00 in the clinic; every case is rolled back. Both test
 * clinics are open 00:00–23:00 every day (1,380 minutes, slot_capacity 1); clinic A's closed day is today + 200.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DbTx } from '../local/db/types';
import { DB_KINDS, type TestDb } from './helpers/testDb';
import { ACTORS, ID, localAt } from './helpers/world';
import { as, openPinnedWorld, refused, rolledBack } from './helpers/pinnedWorld';
import { fluidDay, setTypeMode } from './helpers/fluidWorld';
import { staffAsPatients } from './helpers/confirmedPhones';

const day = fluidDay;

describe.each(DB_KINDS)('fluid visit types on %s', (kind) => {
  let t: TestDb;
  beforeAll(async () => {
    t = await openPinnedWorld(kind, '09:00');
  }, 600_000);
  afterAll(async () => {
    await t?.stop();
  });

  const bookFluid = (n: number, typeId: string = ID.typeA2, clinicId: string = ID.clinicA) =>
    [
      `select public.book_fluid_place($1::uuid, ${day(n)}, $2::uuid, null, 'Fluid Patient') as r`,
      [clinicId, typeId],
    ] as [string, unknown[]];
  const fluidDays = async (tx: DbTx, from: number, to: number, typeId: string = ID.typeA2) =>
    as<{ day: string; remaining: number }[]>(
      tx,
      ACTORS.anon,
      `select public.get_fluid_days($1::uuid, ${day(from)}, ${day(to)}, $2::uuid) as r`,
      [ID.clinicA, typeId],
    );

  it('F1 fluid: a booking takes a place in the day, not a time', async () => {
    await rolledBack(t.db, async (tx) => {
      await setTypeMode(tx, ID.typeA2, 'fluid');
      const b = await as<{ slot_start: string | null; fluid: boolean; status: string; entry_id: string }>(
        tx,
        ACTORS.patientA,
        ...bookFluid(2),
      );
      expect(b).toMatchObject({ slot_start: null, fluid: true, status: 'scheduled' });
      const row = (
        await tx.query<{ slot_start: string | null; fluid: boolean; kind: string; same_day: boolean }>(
          `select e.slot_start, e.fluid, e.kind, q.day = ${day(2)} as same_day
             from public.queue_entries e join public.queues q on q.id = e.queue_id where e.id = $1`,
          [b.entry_id],
        )
      ).rows[0]!;
      expect(row).toEqual({ slot_start: null, fluid: true, kind: 'booked', same_day: true });
      // no times for a fluid type; its days instead
      const slots = await as<unknown[]>(
        tx,
        ACTORS.anon,
        `select public.get_free_slots($1::uuid, ${day(2)}, ${day(2)}, $2::uuid) as r`,
        [ID.clinicA, ID.typeA2],
      );
      expect(slots).toEqual([]);
      const days = await fluidDays(tx, 2, 4);
      expect(days.map((d) => d.remaining)).toEqual([45, 46, 46]); // 1380 / 30; day 2 holds one place
      // a forged slot time on a fluid type is refused, and a day's place on a slotted type too
      expect(
        await refused(
          tx,
          ACTORS.patientB,
          `select public.book_appointment($1::uuid, ${localAt(3, '11:00')}, $2::uuid) as r`,
          [ID.clinicA, ID.typeA2],
        ),
      ).toBe('PT422 BOOKING.MODE_MISMATCH');
      expect(await refused(tx, ACTORS.patientB, ...bookFluid(3, ID.typeA))).toBe(
        'PT422 BOOKING.MODE_MISMATCH',
      );
      expect(await fluidDays(tx, 1, 3, ID.typeA)).toEqual([]);
    });
  });

  it("F2 fluid: the day's places — slotted bookings hold their minutes, the last place is refused with BOOKING.DAY_FULL", async () => {
    await rolledBack(t.db, async (tx) => {
      await staffAsPatients(tx);
      await setTypeMode(tx, ID.typeA2, 'fluid', 460); // floor(1380 / 460) = 3 places
      expect((await fluidDays(tx, 3, 3))[0]!.remaining).toBe(3);
      await as(
        tx,
        ACTORS.patientA,
        `select public.book_appointment($1::uuid, ${localAt(3, '11:00')}, $2::uuid) as r`,
        [ID.clinicA, ID.typeA],
      ); // 15 minutes held: floor(1365 / 460) = 2
      expect((await fluidDays(tx, 3, 3))[0]!.remaining).toBe(2);
      await as(tx, ACTORS.patientB, ...bookFluid(3));
      await as(tx, ACTORS.ownerA, ...bookFluid(3));
      expect(await fluidDays(tx, 3, 3)).toEqual([]); // a full day is not offered
      expect(await refused(tx, ACTORS.recepA, ...bookFluid(3))).toBe('PT409 BOOKING.DAY_FULL');
      const n = await tx.query<{ n: string }>(
        `select count(*) as n from public.queue_entries e join public.queues q on q.id = e.queue_id
          where q.clinic_id = $1 and q.day = ${day(3)}`,
        [ID.clinicA],
      );
      expect(Number(n.rows[0]!.n)).toBe(3); // nothing written by the refusal
      // a cancellation gives the place back
      await tx.query(
        `update public.queue_entries set status = 'cancelled', cancelled_at = private.now()
          where fluid and queue_id = (select id from public.queues where clinic_id = $1 and day = ${day(3)})
            and patient_id = $2`,
        [ID.clinicA, ID.patientRecB],
      );
      expect((await fluidDays(tx, 3, 3))[0]!.remaining).toBe(1);
    });
  });

  it('F2 both ways: a day whose minutes the fluid places hold offers no slot, and a slotted booking is refused with BOOKING.SLOT_FULL', async () => {
    await rolledBack(t.db, async (tx) => {
      await staffAsPatients(tx);
      await setTypeMode(tx, ID.typeA2, 'fluid', 460); // 3 × 460 = the day's 1,380 minutes
      for (const who of [ACTORS.patientA, ACTORS.patientB, ACTORS.ownerA]) await as(tx, who, ...bookFluid(3));
      const free = (n: number) =>
        as<unknown[]>(
          tx,
          ACTORS.anon,
          `select public.get_free_slots($1::uuid, ${day(n)}, ${day(n)}, $2::uuid) as r`,
          [ID.clinicA, ID.typeA],
        );
      expect(await free(3)).toEqual([]);
      expect((await free(4)).length).toBeGreaterThan(0); // another day is untouched
      const slotted = [
        `select public.book_appointment($1::uuid, ${localAt(3, '11:00')}, $2::uuid, null, 'Slot Patient') as r`,
        [ID.clinicA, ID.typeA],
      ] as [string, unknown[]];
      expect(await refused(tx, ACTORS.recepA, ...slotted)).toBe('PT409 BOOKING.SLOT_FULL');
      // a cancelled place gives its minutes back to the slots
      await tx.query(
        `update public.queue_entries set status = 'cancelled', cancelled_at = private.now()
          where fluid and queue_id = (select id from public.queues where clinic_id = $1 and day = ${day(3)})
            and patient_id = $2`,
        [ID.clinicA, ID.patientRecB],
      );
      expect((await free(3)).length).toBeGreaterThan(0);
      await as(tx, ACTORS.recepA, ...slotted);
    });
  });

  it('F2 fluid: the one-visit-per-day rule is unchanged', async () => {
    await rolledBack(t.db, async (tx) => {
      await setTypeMode(tx, ID.typeA2, 'fluid');
      await as(tx, ACTORS.patientB, ...bookFluid(4));
      expect(await refused(tx, ACTORS.patientB, ...bookFluid(4))).toBe('PT409 QUEUE.DUPLICATE_ENTRY');
    });
  });

  it('F3 fluid: in line by arrival — check-in gives the check-in time as order key', async () => {
    await rolledBack(t.db, async (tx) => {
      await setTypeMode(tx, ID.typeB, 'fluid');
      const b = await as<{ entry_id: string }>(tx, ACTORS.patientA, ...bookFluid(0, ID.typeB, ID.clinicB));
      await tx.query(`update private.pinned_clock set at = at + interval '95 minutes'`);
      const c = await as<{ status: string; order_key: string }>(
        tx,
        ACTORS.patientA,
        `select public.check_in($1::uuid) as r`,
        [b.entry_id],
      );
      expect(c.status).toBe('waiting');
      const now = await tx.query<{ k: string }>(`select extract(epoch from private.now())::numeric as k`);
      expect(Number(c.order_key)).toBe(Number(now.rows[0]!.k));
    });
  });

  it('F4 per visit type overrides the clinic', async () => {
    await rolledBack(t.db, async (tx) => {
      await tx.query(
        `update public.clinics set settings = settings || '{"booking_mode": "fluid"}' where id = $1`,
        [ID.clinicA],
      );
      await setTypeMode(tx, ID.typeA2, 'slotted');
      const free = (typeId: string) =>
        as<unknown[]>(
          tx,
          ACTORS.anon,
          `select public.get_free_slots($1::uuid, ${day(2)}, ${day(2)}, $2::uuid) as r`,
          [ID.clinicA, typeId],
        );
      expect(await free(ID.typeA)).toEqual([]); // the clinic's mode: fluid
      expect((await free(ID.typeA2)).length).toBeGreaterThan(0); // its own: slotted
      const pub = await as<{ appointment_types: { id: string; booking_mode: string }[] }>(
        tx,
        ACTORS.anon,
        `select public.get_public_clinic('clinic-a') as r`,
      );
      expect(Object.fromEntries(pub.appointment_types.map((x) => [x.id, x.booking_mode]))).toEqual({
        [ID.typeA]: 'fluid',
        [ID.typeA2]: 'slotted',
      });
      // the admin's editor sets it through set_appointment_types; a forged mode is refused
      await as(tx, ACTORS.ownerA, `select public.set_appointment_types($1::uuid, $2::jsonb) as r`, [
        ID.clinicA,
        JSON.stringify([
          { id: ID.typeA, name: 'Consultation', duration_minutes: 15, booking_mode: 'slotted' },
          { id: ID.typeA2, name: 'Suivi', duration_minutes: 30, booking_mode: null },
        ]),
      ]);
      expect((await free(ID.typeA)).length).toBeGreaterThan(0);
      expect(await free(ID.typeA2)).toEqual([]);
      expect(
        await refused(tx, ACTORS.ownerA, `select public.set_appointment_types($1::uuid, $2::jsonb) as r`, [
          ID.clinicA,
          JSON.stringify([
            { id: ID.typeA, name: 'Consultation', duration_minutes: 15, booking_mode: 'queue' },
          ]),
        ]),
      ).toMatch(/VALIDATION\.FAILED/);
      expect(
        await refused(
          tx,
          null,
          `update public.clinics set settings = settings || '{"booking_mode": "queue"}' where id = $1`,
          [ID.clinicA],
        ),
      ).toMatch(/^23514 /);
    });
  });

  it("fluid booking attacks: another clinic's type, a closed day, a past day, beyond the horizon, no account", async () => {
    await rolledBack(t.db, async (tx) => {
      await setTypeMode(tx, ID.typeA2, 'fluid');
      await setTypeMode(tx, ID.typeB, 'fluid');
      expect(await refused(tx, ACTORS.patientA, ...bookFluid(2, ID.typeB))).toBe('PT404 NOT_FOUND');
      await tx.query(
        `insert into public.closed_dates (clinic_id, day, reason) values ($1, ${day(5)}, 'Aid')`,
        [ID.clinicA],
      );
      expect(await refused(tx, ACTORS.patientA, ...bookFluid(5))).toBe('PT422 BOOKING.CLINIC_CLOSED');
      expect((await fluidDays(tx, 4, 6)).map((d) => d.day.slice(0, 10))).toHaveLength(2); // day 5 not offered
      expect(await refused(tx, ACTORS.patientA, ...bookFluid(-1))).toBe('PT422 BOOKING.TOO_SOON');
      expect(await refused(tx, ACTORS.patientA, ...bookFluid(45))).toBe('PT422 BOOKING.BEYOND_HORIZON');
      expect(await refused(tx, ACTORS.anon, ...bookFluid(2))).toMatch(/AUTH|permission denied/);
      // today's line closes at the last opening hour (23:00) minus the notice (60 minutes)
      await tx.query(`update private.pinned_clock set at = at + interval '13 hours 1 minute'`);
      expect(await refused(tx, ACTORS.patientA, ...bookFluid(0))).toBe('PT422 BOOKING.TOO_SOON');
      expect(await fluidDays(tx, 0, 0)).toEqual([]);
    });
  });
});
