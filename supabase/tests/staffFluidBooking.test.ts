/**
 * Issue 17 (session 14): staff take a place in a fluid visit type's day line for a patient of their clinic
 * (public.staff_book_fluid_place, migration 20261212500001). Same rules as a patient's fluid booking (F1–F4,
 * docs/fluid-queues.md) and staff_book_appointment's caller rule; notice and horizon do not apply to staff.
 *
 * PGlite and PostgreSQL, private.now() pinned at today 09:00 in the clinic (never the machine's clock); every
 * case is rolled back. Both test clinics are open 00:00–23:00 every day (1,380 minutes, slot_capacity 1).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DB_KINDS, type TestDb } from './helpers/testDb';
import { ACTORS, ID, localAt } from './helpers/world';
import { as, openPinnedWorld, refused, rolledBack } from './helpers/pinnedWorld';
import { fluidDay, setTypeMode } from './helpers/fluidWorld';

const day = fluidDay;

describe.each(DB_KINDS)('staff booking of a fluid place on %s', (kind) => {
  let t: TestDb;
  beforeAll(async () => {
    t = await openPinnedWorld(kind, '09:00');
  }, 600_000);
  afterAll(async () => {
    await t?.stop();
  });

  const staffFluid = (
    n: number,
    patientId: string = ID.walkInA,
    typeId: string = ID.typeA2,
    clinicId: string = ID.clinicA,
  ) =>
    [
      `select public.staff_book_fluid_place($1::uuid, $2::uuid, ${day(n)}, $3::uuid) as r`,
      [clinicId, patientId, typeId],
    ] as [string, unknown[]];

  it('F1 fluid: staff take a place in the day for a patient — no time, EntryScheduled logged', async () => {
    await rolledBack(t.db, async (tx) => {
      await setTypeMode(tx, ID.typeA2, 'fluid');
      const b = await as<{
        entry_id: string;
        slot_start: string | null;
        fluid: boolean;
        status: string;
        patient_id: string;
        ticket: string;
        tracking_token: string;
      }>(tx, ACTORS.recepA, ...staffFluid(2));
      expect(b).toMatchObject({ slot_start: null, fluid: true, status: 'scheduled', patient_id: ID.walkInA });
      expect(b.tracking_token.length).toBeGreaterThanOrEqual(16);
      const row = (
        await tx.query<{ slot_start: string | null; fluid: boolean; kind: string; same_day: boolean }>(
          `select e.slot_start, e.fluid, e.kind, q.day = ${day(2)} as same_day
             from public.queue_entries e join public.queues q on q.id = e.queue_id where e.id = $1`,
          [b.entry_id],
        )
      ).rows[0]!;
      expect(row).toEqual({ slot_start: null, fluid: true, kind: 'booked', same_day: true });
      const events = await tx.query<{ type: string; slot_at: unknown }>(
        `select type, payload -> 'slotAt' as slot_at from public.queue_events where entry_id = $1`,
        [b.entry_id],
      );
      expect(events.rows).toEqual([{ type: 'EntryScheduled', slot_at: null }]);
      // the day's places went down by the type's 30 minutes: floor((1380 - 30) / 30) = 45
      const days = await as<{ remaining: number }[]>(
        tx,
        ACTORS.anon,
        `select public.get_fluid_days($1::uuid, ${day(2)}, ${day(2)}, $2::uuid) as r`,
        [ID.clinicA, ID.typeA2],
      );
      expect(days[0]!.remaining).toBe(45);
    });
  });

  it('F1 fluid: staff sending a slotted type to the fluid path, or a fluid type to the slot path, get BOOKING.MODE_MISMATCH', async () => {
    await rolledBack(t.db, async (tx) => {
      await setTypeMode(tx, ID.typeA2, 'fluid');
      expect(await refused(tx, ACTORS.recepA, ...staffFluid(2, ID.walkInA, ID.typeA))).toBe(
        'PT422 BOOKING.MODE_MISMATCH',
      );
      expect(
        await refused(
          tx,
          ACTORS.recepA,
          `select public.staff_book_appointment($1::uuid, $2::uuid, ${localAt(2, '11:00')}, $3::uuid) as r`,
          [ID.clinicA, ID.walkInA, ID.typeA2],
        ),
      ).toBe('PT422 BOOKING.MODE_MISMATCH');
    });
  });

  it("F2 fluid: staff booking of the day's last place, then BOOKING.DAY_FULL; the one-visit-per-day rule holds", async () => {
    await rolledBack(t.db, async (tx) => {
      await setTypeMode(tx, ID.typeA2, 'fluid', 460); // floor(1380 / 460) = 3 places
      await as(
        tx,
        ACTORS.patientA,
        `select public.book_appointment($1::uuid, ${localAt(3, '11:00')}, $2::uuid) as r`,
        [ID.clinicA, ID.typeA],
      ); // a slotted visit holds its 15 minutes: floor(1365 / 460) = 2
      await as(tx, ACTORS.recepA, ...staffFluid(3, ID.walkInA));
      expect(await refused(tx, ACTORS.practA, ...staffFluid(3, ID.walkInA))).toBe(
        'PT409 QUEUE.DUPLICATE_ENTRY',
      );
      await as(tx, ACTORS.ownerA, ...staffFluid(3, ID.patientRecB));
      expect(await refused(tx, ACTORS.recepA, ...staffFluid(3, ID.patientRecA))).toBe(
        'PT409 BOOKING.DAY_FULL',
      );
      const n = await tx.query<{ n: string }>(
        `select count(*) as n from public.queue_entries e join public.queues q on q.id = e.queue_id
          where q.clinic_id = $1 and q.day = ${day(3)}`,
        [ID.clinicA],
      );
      expect(Number(n.rows[0]!.n)).toBe(3); // nothing written by the refusals
    });
  });

  it("staff fluid booking attacks: another clinic's staff, type or patient; a patient; a closed day; a past day", async () => {
    await rolledBack(t.db, async (tx) => {
      await setTypeMode(tx, ID.typeA2, 'fluid');
      await setTypeMode(tx, ID.typeB, 'fluid');
      expect(await refused(tx, ACTORS.ownerB, ...staffFluid(2))).toBe('PT403 AUTH.FORBIDDEN');
      expect(await refused(tx, ACTORS.patientA, ...staffFluid(2))).toBe('PT403 AUTH.FORBIDDEN');
      expect(await refused(tx, ACTORS.anon, ...staffFluid(2))).toMatch(/permission denied/);
      // clinic A's staff with clinic B's visit type, or clinic B's patient
      expect(await refused(tx, ACTORS.recepA, ...staffFluid(2, ID.walkInA, ID.typeB))).toBe(
        'PT404 NOT_FOUND',
      );
      expect(await refused(tx, ACTORS.recepA, ...staffFluid(2, ID.walkInB))).toBe('PT404 NOT_FOUND');
      // clinic B's owner with clinic A's patient in clinic B
      expect(await refused(tx, ACTORS.ownerB, ...staffFluid(2, ID.walkInA, ID.typeB, ID.clinicB))).toBe(
        'PT404 NOT_FOUND',
      );
      await tx.query(
        `insert into public.closed_dates (clinic_id, day, reason) values ($1, ${day(5)}, 'Aid')`,
        [ID.clinicA],
      );
      expect(await refused(tx, ACTORS.recepA, ...staffFluid(5))).toBe('PT422 BOOKING.CLINIC_CLOSED');
      expect(await refused(tx, ACTORS.recepA, ...staffFluid(-1))).toBe('PT422 BOOKING.TOO_SOON');
      expect(
        await refused(
          tx,
          ACTORS.recepA,
          `select public.staff_book_fluid_place($1::uuid, $2::uuid, null, $3::uuid) as r`,
          [ID.clinicA, ID.walkInA, ID.typeA2],
        ),
      ).toBe('PT422 VALIDATION.FAILED');
    });
  });

  it("staff may book beyond the patients' horizon (as a staff slot booking) and for an Arabic/emoji name", async () => {
    await rolledBack(t.db, async (tx) => {
      await setTypeMode(tx, ID.typeA2, 'fluid');
      const p = await tx.query<{ id: string }>(
        `insert into public.patients (clinic_id, full_name) values ($1, 'سلمى بناني 🌙') returning id`,
        [ID.clinicA],
      );
      const b = await as<{ fluid: boolean; patient_id: string }>(
        tx,
        ACTORS.recepA,
        ...staffFluid(45, p.rows[0]!.id),
      );
      expect(b).toMatchObject({ fluid: true, patient_id: p.rows[0]!.id });
    });
  });
});
