/**
 * Session 22 (fluid22), rule F8 "fluid: an "any doctor" day needs a doctor who works that day" (docs/domain-rules.md,
 * migration 20261222950001): H6 made an "any doctor" slot need one of the type's doctors free then; a fluid place
 * ("come during the day") had no such check — a fluid type only Dr Pract A offers was offered and bookable with
 * "any doctor" on his leave day and on a weekday outside his own hours, and a clinic whose only doctor (the owner)
 * was on leave took places nobody would serve. get_fluid_days(…, p_practitioner_id => null) now leaves such a day
 * out and private.book_fluid (patient, desk, reschedule) refuses it with 422 BOOKING.DAY_UNAVAILABLE.
 * Attacks: another clinic's type id, anon, a forged day (one the list left out), SQL in the type id.
 *
 * PGlite and PostgreSQL, private.now() pinned at today 09:00 in the clinic; every case is rolled back. Both test
 * clinics are open 00:00–23:00 every day.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DB_KINDS, type TestDb } from './helpers/testDb';
import { ACTORS, ID } from './helpers/world';
import { as, openPinnedWorld, refused, rolledBack } from './helpers/pinnedWorld';
import { fluidDay, setTypeMode } from './helpers/fluidWorld';

type Day = { day: string; remaining: number };
type Tx = Parameters<Parameters<typeof rolledBack>[1]>[0];

const DAYS = `select public.get_fluid_days($1::uuid, ${fluidDay(2)}, ${fluidDay(8)}, $2::uuid, null) as r`;
const BOOK = (n: number) => `select public.book_fluid_place($1::uuid, ${fluidDay(n)}, $2::uuid, null) as r`;
const DESK = (n: number) =>
  `select public.staff_book_fluid_place($1::uuid, $2::uuid, ${fluidDay(n)}, $3::uuid) as r`;

describe.each(DB_KINDS)('F8 fluid day needs a doctor on %s', (kind) => {
  let t: TestDb;
  beforeAll(async () => {
    t = await openPinnedWorld(kind, '09:00');
  }, 600_000);
  afterAll(async () => {
    await t?.stop();
  });

  const dayOf = async (tx: Tx, n: number) =>
    (await tx.query<{ d: string }>(`select ${fluidDay(n)}::text as d`)).rows[0]!.d;
  const offered = async (tx: Tx, clinic: string, type: string) =>
    (await as<Day[]>(tx, ACTORS.anon, DAYS, [clinic, type])).map((d) => d.day);
  const places = async (tx: Tx, clinic: string, n: number) =>
    Number(
      (
        await tx.query<{ n: string }>(
          `select count(*) as n from public.queue_entries e join public.queues q on q.id = e.queue_id
            where e.clinic_id = $1 and e.fluid and q.day = ${fluidDay(n)}`,
          [clinic],
        )
      ).rows[0]!.n,
    );

  it('F8 fluid: an "any doctor" day needs a doctor who works that day — a type only one doctor offers, on their leave or off-weekday, is neither offered nor bookable', async () => {
    await rolledBack(t.db, async (tx) => {
      await setTypeMode(tx, ID.typeA2, 'fluid');
      const all = await offered(tx, ID.clinicA, ID.typeA2);
      expect(all).toHaveLength(7);
      await tx.query(`update public.appointment_types set practitioner_ids = array[$1::uuid] where id = $2`, [
        ID.memberPractA,
        ID.typeA2,
      ]);
      // leave on day 3; own hours on every weekday but day 5's
      await tx.query(
        `insert into public.practitioner_leave (clinic_id, practitioner_id, from_day, to_day)
         values ($1, $2, ${fluidDay(3)}, ${fluidDay(3)})`,
        [ID.clinicA, ID.memberPractA],
      );
      await tx.query(
        `insert into public.practitioner_hours (clinic_id, practitioner_id, weekday, starts_at, ends_at)
         select $1, $2, w, '08:00', '12:00' from generate_series(0, 6) w
          where w <> extract(dow from ${fluidDay(5)})`,
        [ID.clinicA, ID.memberPractA],
      );
      const d3 = await dayOf(tx, 3);
      const d5 = await dayOf(tx, 5);
      expect(await offered(tx, ID.clinicA, ID.typeA2)).toEqual(all.filter((d) => d !== d3 && d !== d5));
      // a forged day (one the list left out) is refused at booking, by the patient and at the desk; nothing written
      expect(await refused(tx, ACTORS.patientA, BOOK(3), [ID.clinicA, ID.typeA2])).toBe(
        'PT422 BOOKING.DAY_UNAVAILABLE',
      );
      expect(await refused(tx, ACTORS.patientA, BOOK(5), [ID.clinicA, ID.typeA2])).toBe(
        'PT422 BOOKING.DAY_UNAVAILABLE',
      );
      expect(await refused(tx, ACTORS.recepA, DESK(3), [ID.clinicA, ID.walkInA, ID.typeA2])).toBe(
        'PT422 BOOKING.DAY_UNAVAILABLE',
      );
      expect(await places(tx, ID.clinicA, 3)).toBe(0);
      expect(await places(tx, ID.clinicA, 5)).toBe(0);
      // a day he works is bookable with "any doctor"
      const b = await as<{ entry_id: string }>(tx, ACTORS.patientA, BOOK(4), [ID.clinicA, ID.typeA2]);
      expect(b.entry_id).toBeTruthy();
      // a reschedule to a day nobody of the type works is refused, and the place stays where it was
      expect(
        await refused(
          tx,
          ACTORS.patientA,
          `select public.reschedule_fluid_place($1::uuid, ${fluidDay(3)}) as r`,
          [b.entry_id],
        ),
      ).toBe('PT422 BOOKING.DAY_UNAVAILABLE');
      expect(await places(tx, ID.clinicA, 4)).toBe(1);
      // H3: with another doctor of the type (the owner, no leave), every day is back
      await tx.query(
        `update public.appointment_types set practitioner_ids = array[$1::uuid, $2::uuid] where id = $3`,
        [ID.memberPractA, ID.memberOwnerA, ID.typeA2],
      );
      expect(await offered(tx, ID.clinicA, ID.typeA2)).toEqual(all);
      expect(
        (await as<{ entry_id: string }>(tx, ACTORS.patientB, BOOK(3), [ID.clinicA, ID.typeA2])).entry_id,
      ).toBeTruthy();
    });
  });

  it('F8 fluid: a clinic whose only doctor is the owner — the owner on leave closes the "any doctor" day (with a type and without one)', async () => {
    await rolledBack(t.db, async (tx) => {
      await setTypeMode(tx, ID.typeB, 'fluid');
      const all = await offered(tx, ID.clinicB, ID.typeB);
      expect(all).toHaveLength(7);
      await tx.query(
        `insert into public.practitioner_leave (clinic_id, practitioner_id, from_day, to_day)
         values ($1, $2, ${fluidDay(6)}, ${fluidDay(7)})`,
        [ID.clinicB, ID.memberOwnerB],
      );
      const d6 = await dayOf(tx, 6);
      const d7 = await dayOf(tx, 7);
      expect(await offered(tx, ID.clinicB, ID.typeB)).toEqual(all.filter((d) => d !== d6 && d !== d7));
      expect(await refused(tx, ACTORS.patientA, BOOK(6), [ID.clinicB, ID.typeB])).toBe(
        'PT422 BOOKING.DAY_UNAVAILABLE',
      );
      expect(await places(tx, ID.clinicB, 6)).toBe(0);
      // with no type at all (the clinic's own mode fluid), the same pool of doctors decides
      await tx.query(
        `update public.clinics set settings = settings || '{"booking_mode":"fluid"}'::jsonb where id = $1`,
        [ID.clinicB],
      );
      expect(await offered(tx, ID.clinicB, null as unknown as string)).toEqual(
        all.filter((d) => d !== d6 && d !== d7),
      );
    });
  });

  it('F8 fluid: attacks — another clinic’s type id, anon, SQL in the type id', async () => {
    await rolledBack(t.db, async (tx) => {
      await setTypeMode(tx, ID.typeA2, 'fluid');
      await setTypeMode(tx, ID.typeB, 'fluid');
      // clinic B's type against clinic A: NOT_FOUND for the list and for the booking (no day of A is leaked)
      expect(await refused(tx, ACTORS.anon, DAYS, [ID.clinicA, ID.typeB])).toBe('PT404 NOT_FOUND');
      expect(await refused(tx, ACTORS.patientA, BOOK(3), [ID.clinicA, ID.typeB])).toBe('PT404 NOT_FOUND');
      // anon cannot take a place at all (the RPC is not granted), whatever the day
      expect((await refused(tx, ACTORS.anon, BOOK(3), [ID.clinicA, ID.typeA2])).split(' ')[0]).toBe('42501');
      // another clinic's staff cannot book at the desk
      expect(await refused(tx, ACTORS.ownerB, DESK(3), [ID.clinicA, ID.walkInA, ID.typeA2])).toMatch(
        /^PT403 /,
      );
      expect((await refused(tx, ACTORS.anon, DAYS, [ID.clinicA, "x' or 1=1 --"])).split(' ')[0]).toBe(
        '22P02',
      );
      // the helpers are no client's
      for (const fn of [
        'private.day_has_doctor(uuid, uuid, date)',
        'private.type_doctors(uuid, uuid)',
        'private.doctor_works_day(uuid, date)',
      ]) {
        for (const role of ['anon', 'authenticated']) {
          const r = await tx.query<{ ok: boolean }>(
            `select has_function_privilege($1, $2, 'execute') as ok`,
            [role, fn],
          );
          expect(r.rows[0]!.ok, `${role} ${fn}`).toBe(false);
        }
      }
    });
  });
});
