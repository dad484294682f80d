/**
 * Issue 17 (feat21a), rule F7 "fluid: a place with a chosen doctor is in that doctor's line" (docs/domain-rules.md,
 * migration 20261221500002): a fluid visit type may be booked with "any doctor" or one doctor who offers it. The
 * day list (get_fluid_days with p_practitioner_id) leaves out the doctor's leave (H2) and the weekdays they do not
 * work (H4); the places left stay the clinic's day pool (F2); the booking keeps the doctor, so the place is in their
 * line. Attacks: another clinic's doctor, a receptionist, a deactivated doctor, a doctor who does not offer the type.
 *
 * PGlite and PostgreSQL, private.now() pinned at today 09:00 in the clinic; every case is rolled back. Both test
 * clinics are open 00:00–23:00 every day (1,380 minutes, slot_capacity 1).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DB_KINDS, type TestDb } from './helpers/testDb';
import { ACTORS, ID } from './helpers/world';
import { as, openPinnedWorld, refused, rolledBack } from './helpers/pinnedWorld';
import { fluidDay, setTypeMode } from './helpers/fluidWorld';

type Day = { day: string; remaining: number };

describe.each(DB_KINDS)('F7 fluid doctor choice on %s', (kind) => {
  let t: TestDb;
  beforeAll(async () => {
    t = await openPinnedWorld(kind, '09:00');
  }, 600_000);
  afterAll(async () => {
    await t?.stop();
  });

  /** get_fluid_days of typeA2 for days 2..8, as anon, with the doctor (or none). */
  const days = (tx: Parameters<Parameters<typeof rolledBack>[1]>[0], doctor: string | null) =>
    as<Day[]>(
      tx,
      ACTORS.anon,
      `select public.get_fluid_days($1::uuid, ${fluidDay(2)}, ${fluidDay(8)}, $2::uuid, $3::uuid) as r`,
      [ID.clinicA, ID.typeA2, doctor],
    );
  const dayOf = async (tx: Parameters<Parameters<typeof rolledBack>[1]>[0], n: number) =>
    (await tx.query<{ d: string }>(`select ${fluidDay(n)}::text as d`)).rows[0]!.d;

  it('F7 fluid: with a doctor, the days leave out their leave and the weekdays they do not work; places stay the day’s', async () => {
    await rolledBack(t.db, async (tx) => {
      await setTypeMode(tx, ID.typeA2, 'fluid');
      const any = await days(tx, null);
      expect(any).toHaveLength(7);
      // no leave, no own hours: the same days and places as "any doctor"
      expect(await days(tx, ID.memberPractA)).toEqual(any);
      // leave on day 3, own hours only on the weekdays of days 2..5
      await tx.query(
        `insert into public.practitioner_leave (clinic_id, practitioner_id, from_day, to_day)
         values ($1, $2, ${fluidDay(3)}, ${fluidDay(3)})`,
        [ID.clinicA, ID.memberPractA],
      );
      await tx.query(
        `insert into public.practitioner_hours (clinic_id, practitioner_id, weekday, starts_at, ends_at)
         select $1, $2, extract(dow from d)::smallint, '08:00', '12:00'
           from generate_series(${fluidDay(2)}, ${fluidDay(5)}, interval '1 day') d`,
        [ID.clinicA, ID.memberPractA],
      );
      const withDoctor = await days(tx, ID.memberPractA);
      expect(withDoctor.map((d) => d.day)).toEqual([
        await dayOf(tx, 2),
        await dayOf(tx, 4),
        await dayOf(tx, 5),
      ]);
      // the places are the clinic's day pool (F2): the same number as for any doctor on those days
      for (const d of withDoctor) expect(d.remaining).toBe(any.find((a) => a.day === d.day)?.remaining);
      // another doctor (the owner, DR1) and "any doctor" are not held back by this doctor's leave
      expect(await days(tx, ID.memberOwnerA)).toEqual(any);
      expect(await days(tx, null)).toEqual(any);
    });
  });

  it('F7 fluid: the booking keeps the doctor — the place is in their line, and holds the day’s minutes like any place', async () => {
    await rolledBack(t.db, async (tx) => {
      await setTypeMode(tx, ID.typeA2, 'fluid');
      const b = await as<{ entry_id: string; fluid: boolean }>(
        tx,
        ACTORS.patientA,
        `select public.book_fluid_place($1::uuid, ${fluidDay(4)}, $2::uuid, $3::uuid) as r`,
        [ID.clinicA, ID.typeA2, ID.memberPractA],
      );
      expect(b.fluid).toBe(true);
      const row = (
        await tx.query<{ practitioner_id: string | null; slot_start: string | null }>(
          `select practitioner_id, slot_start from public.queue_entries where id = $1`,
          [b.entry_id],
        )
      ).rows[0];
      expect(row).toEqual({ practitioner_id: ID.memberPractA, slot_start: null });
      const d4 = await dayOf(tx, 4);
      // its 30 minutes come off the clinic's day: floor((1380 - 30) / 30) = 45, for any doctor and for another one
      expect((await days(tx, null)).find((d) => d.day === d4)?.remaining).toBe(45);
      expect((await days(tx, ID.memberOwnerA)).find((d) => d.day === d4)?.remaining).toBe(45);
    });
  });

  it('F7 fluid: a doctor on leave that day, or off that weekday, is refused at booking as on the day list', async () => {
    await rolledBack(t.db, async (tx) => {
      await setTypeMode(tx, ID.typeA2, 'fluid');
      await tx.query(
        `insert into public.practitioner_leave (clinic_id, practitioner_id, from_day, to_day)
         values ($1, $2, ${fluidDay(3)}, ${fluidDay(3)})`,
        [ID.clinicA, ID.memberPractA],
      );
      const book = (n: number) =>
        refused(
          tx,
          ACTORS.patientA,
          `select public.book_fluid_place($1::uuid, ${fluidDay(n)}, $2::uuid, $3::uuid) as r`,
          [ID.clinicA, ID.typeA2, ID.memberPractA],
        );
      expect(await book(3)).toBe('PT409 PRACTITIONER.ON_LEAVE');
      await tx.query(
        `insert into public.practitioner_hours (clinic_id, practitioner_id, weekday, starts_at, ends_at)
         values ($1, $2, extract(dow from ${fluidDay(2)})::smallint, '08:00', '12:00')`,
        [ID.clinicA, ID.memberPractA],
      );
      expect(await book(4)).toBe('PT409 PRACTITIONER.OFF_HOURS');
    });
  });

  it('F7 fluid: the day list refuses a doctor who is not one of the clinic’s, not a doctor, deactivated, or does not offer the type', async () => {
    await rolledBack(t.db, async (tx) => {
      await setTypeMode(tx, ID.typeA2, 'fluid');
      const list = (doctor: string, type: string = ID.typeA2) =>
        refused(
          tx,
          ACTORS.anon,
          `select public.get_fluid_days($1::uuid, ${fluidDay(2)}, ${fluidDay(3)}, $2::uuid, $3::uuid) as r`,
          [ID.clinicA, type, doctor],
        );
      expect(await list(ID.memberOwnerB)).toBe('PT404 NOT_FOUND');
      expect(await list(ID.memberRecepA)).toBe('PT404 NOT_FOUND');
      expect(await list('00000000-0000-4000-8000-000000000000')).toBe('PT404 NOT_FOUND');
      expect((await list("x' or 1=1 --")).split(' ')[0]).toBe('22P02');
      await tx.query(`update public.appointment_types set practitioner_ids = array[$1::uuid] where id = $2`, [
        ID.memberOwnerA,
        ID.typeA2,
      ]);
      expect(await list(ID.memberPractA)).toBe('PT422 BOOKING.PRACTITIONER_NOT_OFFERED');
      await tx.query(`update public.appointment_types set practitioner_ids = null where id = $1`, [
        ID.typeA2,
      ]);
      await tx.query(`update public.clinic_members set active = false where id = $1`, [ID.memberPractA]);
      expect(await list(ID.memberPractA)).toBe('PT409 PRACTITIONER.UNAVAILABLE');
      // a slotted type still answers [] whoever is named (F1)
      expect(
        await as<Day[]>(
          tx,
          ACTORS.anon,
          `select public.get_fluid_days($1::uuid, ${fluidDay(2)}, ${fluidDay(3)}, $2::uuid, $3::uuid) as r`,
          [ID.clinicA, ID.typeA, ID.memberOwnerA],
        ),
      ).toEqual([]);
    });
  });
});
