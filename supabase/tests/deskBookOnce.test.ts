/**
 * Issue 17 (session 16): the desk's "Book a visit" for a caller named by phone and name is ONE transaction
 * (public.staff_desk_book, migration 20261214200003): the caller's record is found or made and the slot or the
 * day's place booked together, so a refused booking (slot full, day full, closed day, one visit a day) leaves
 * no new patient record behind — the old path (staff_find_or_create_patient, then staff_book_*) left one. The
 * three find-or-creates share private.find_or_create_patient: the patient's own booking normalises names too.
 *
 * PGlite and PostgreSQL, private.now() pinned at today 09:00 in the clinic; every case is rolled back.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DbTx } from '../local/db/types';
import { DB_KINDS, type TestDb } from './helpers/testDb';
import { ACTORS, ID, localAt, PHONES } from './helpers/world';
import { as, openPinnedWorld, refused, rolledBack } from './helpers/pinnedWorld';
import { fluidDay, setTypeMode } from './helpers/fluidWorld';

interface DeskBooked {
  entry_id: string;
  patient_id: string;
  slot_start: string | null;
  fluid?: boolean;
  status: string;
  tracking_token: string;
  patient: { patient_id: string; full_name: string; created: boolean };
}

const PHONE = '+212612000451';
/** staff_desk_book for `name`/`phone`, a slot (SQL instant) or a day (SQL date), type A unless told. */
const deskBook = (
  name: string | null,
  phone: string | null,
  at: { slot?: string; day?: string },
  typeId: string = ID.typeA,
  clinicId: string = ID.clinicA,
) =>
  [
    `select public.staff_desk_book($1::uuid, $2, $3, $4::uuid, ${at.slot ?? 'null'}, ${at.day ?? 'null'},
                                   null, 'fr') as r`,
    [clinicId, name, phone, typeId],
  ] as [string, unknown[]];

const recordsWith = async (tx: DbTx, phone: string) =>
  Number(
    (await tx.query<{ n: string }>(`select count(*) as n from public.patients where phone = $1`, [phone]))
      .rows[0]!.n,
  );

describe.each(DB_KINDS)('desk booking in one transaction on %s', (kind) => {
  let t: TestDb;
  beforeAll(async () => {
    t = await openPinnedWorld(kind, '09:00');
  }, 600_000);
  afterAll(async () => {
    await t?.stop();
  });

  it('a new caller is made and booked in one call (slot, then a fluid place for another caller); found again by phone and name', async () => {
    await rolledBack(t.db, async (tx) => {
      const b = await as<DeskBooked>(
        tx,
        ACTORS.recepA,
        ...deskBook('  Salma   Bennani ', PHONE, { slot: localAt(2, '11:00') }),
      );
      expect(b).toMatchObject({
        status: 'scheduled',
        patient: { full_name: 'Salma Bennani', created: true },
      });
      expect(b.patient_id).toBe(b.patient.patient_id);
      expect(b.slot_start).not.toBeNull();
      expect(b.tracking_token.length).toBeGreaterThanOrEqual(16);
      // the same caller another day: found, not made again (the record keeps its name)
      const again = await as<DeskBooked>(
        tx,
        ACTORS.practA,
        ...deskBook('salma bennani', PHONE, { slot: localAt(3, '11:00') }),
      );
      expect(again.patient).toEqual({ ...b.patient, created: false });
      // a fluid type takes a day's place
      await setTypeMode(tx, ID.typeA2, 'fluid');
      const f = await as<DeskBooked>(
        tx,
        ACTORS.recepA,
        ...deskBook('Yassine', PHONE, { day: fluidDay(2) }, ID.typeA2),
      );
      expect(f).toMatchObject({
        slot_start: null,
        fluid: true,
        patient: { full_name: 'Yassine', created: true },
      });
      expect(await recordsWith(tx, PHONE)).toBe(2);
    });
  });

  it('a refused booking makes no patient record (slot full, closed day, day full, wrong mode) — the old two-call path left one', async () => {
    await rolledBack(t.db, async (tx) => {
      // 11:00 tomorrow is patient A's (capacity 1)
      expect(
        await refused(tx, ACTORS.recepA, ...deskBook('Salma', PHONE, { slot: localAt(1, '11:00') })),
      ).toBe('PT409 BOOKING.SLOT_FULL');
      // the clinic's closed date (today + 200)
      expect(
        await refused(tx, ACTORS.recepA, ...deskBook('Salma', PHONE, { slot: localAt(200, '11:00') })),
      ).toBe('PT422 BOOKING.CLINIC_CLOSED');
      // a fluid day with no place left (that weekday open 10:00–11:00, one 60-minute place, taken by patient B),
      // and a slot asked for a fluid type
      await tx.query(
        `delete from public.working_hours where clinic_id = $1 and weekday = extract(dow from ${fluidDay(2)})`,
        [ID.clinicA],
      );
      await tx.query(
        `insert into public.working_hours (clinic_id, weekday, starts_at, ends_at)
         values ($1, extract(dow from ${fluidDay(2)}), '10:00', '11:00')`,
        [ID.clinicA],
      );
      await setTypeMode(tx, ID.typeA2, 'fluid', 60);
      await tx.query(`select private.book_fluid($1, $2, ${fluidDay(2)}, $3, null, false)`, [
        ID.clinicA,
        ID.patientRecB,
        ID.typeA2,
      ]);
      expect(
        await refused(tx, ACTORS.recepA, ...deskBook('Salma', PHONE, { day: fluidDay(2) }, ID.typeA2)),
      ).toBe('PT409 BOOKING.DAY_FULL');
      expect(
        await refused(
          tx,
          ACTORS.recepA,
          ...deskBook('Salma', PHONE, { slot: localAt(2, '10:00') }, ID.typeA2),
        ),
      ).toBe('PT422 BOOKING.MODE_MISMATCH');
      expect(await recordsWith(tx, PHONE)).toBe(0);
      // the old path: the record is made in its own call, the booking refused after it — the record stays
      await as(tx, ACTORS.recepA, `select public.staff_find_or_create_patient($1::uuid, 'Salma', $2) as r`, [
        ID.clinicA,
        PHONE,
      ]);
      expect(await recordsWith(tx, PHONE)).toBe(1);
    });
  });

  it('attacks: exactly one of slot and day; malformed phone, control characters; a patient, another clinic’s staff, anon — coded, nothing written', async () => {
    await rolledBack(t.db, async (tx) => {
      const both = deskBook('Salma', PHONE, { slot: localAt(2, '11:00'), day: fluidDay(2) });
      expect(await refused(tx, ACTORS.recepA, ...both)).toBe('PT422 VALIDATION.FAILED');
      expect(await refused(tx, ACTORS.recepA, ...deskBook('Salma', PHONE, {}))).toBe(
        'PT422 VALIDATION.FAILED',
      );
      for (const phone of ['0612000451', '', null, "+2126'; --"]) {
        expect(
          await refused(tx, ACTORS.recepA, ...deskBook('Salma', phone, { slot: localAt(2, '11:00') })),
        ).toBe('PT422 PHONE.INVALID');
      }
      for (const name of ['', null, 'Sal\u0007ma', 'x'.repeat(201)]) {
        expect(
          await refused(tx, ACTORS.recepA, ...deskBook(name, PHONE, { slot: localAt(2, '11:00') })),
        ).toBe('PT422 VALIDATION.FAILED');
      }
      const slot = deskBook('Salma', PHONE, { slot: localAt(2, '11:00') });
      expect(await refused(tx, ACTORS.patientA, ...slot)).toBe('PT403 AUTH.FORBIDDEN');
      expect(await refused(tx, ACTORS.ownerB, ...slot)).toBe('PT403 AUTH.FORBIDDEN');
      expect(await refused(tx, ACTORS.anon, ...slot)).toMatch(/permission denied/);
      // clinic B's owner in clinic B cannot book clinic A's type, nor reach clinic A's patient by phone + name
      expect(
        await refused(
          tx,
          ACTORS.ownerB,
          ...deskBook('Amina Patient', PHONES.patientA, { slot: localAt(2, '11:00') }, ID.typeA, ID.clinicB),
        ),
      ).toMatch(/^PT4\d\d /);
      expect(await recordsWith(tx, PHONE)).toBe(0);
    });
  });

  it('the patient’s own booking shares the find-or-create: a new record’s name is normalised, a control character refused', async () => {
    await rolledBack(t.db, async (tx) => {
      // patient B has no record in clinic B yet: their first booking there makes one
      expect(
        await refused(
          tx,
          ACTORS.patientB,
          `select public.book_appointment($1::uuid, ${localAt(2, '11:00')}, $2::uuid, null, 'Bru\u0001no') as r`,
          [ID.clinicB, ID.typeB],
        ),
      ).toBe('PT422 VALIDATION.FAILED');
      const b = await as<{ patient_id: string }>(
        tx,
        ACTORS.patientB,
        `select public.book_appointment($1::uuid, ${localAt(2, '11:00')}, $2::uuid, null, '  Bruno   Patient ') as r`,
        [ID.clinicB, ID.typeB],
      );
      const row = await tx.query<{ full_name: string; clinic_id: string }>(
        `select full_name, clinic_id from public.patients where id = $1`,
        [b.patient_id],
      );
      expect(row.rows[0]).toEqual({ full_name: 'Bruno Patient', clinic_id: ID.clinicB });
      // the second booking finds the same record (one per account and clinic)
      await setTypeMode(tx, ID.typeB, 'fluid');
      const f = await as<{ patient_id: string }>(
        tx,
        ACTORS.patientB,
        `select public.book_fluid_place($1::uuid, ${fluidDay(3)}, $2::uuid) as r`,
        [ID.clinicB, ID.typeB],
      );
      expect(f.patient_id).toBe(b.patient_id);
    });
  });
});
