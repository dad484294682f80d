/**
 * Issue 17 (session 15): the desk's "Book a visit" finds or creates the caller's patient record
 * (public.staff_find_or_create_patient, migration 20261213500001) and books through staff_book_appointment /
 * staff_book_fluid_place. The record is the clinic's patient with the same phone AND name (a family shares a
 * phone); a malformed phone, a blank name, a patient's session, another clinic's staff and anon are refused
 * and write nothing.
 *
 * PGlite and PostgreSQL, private.now() pinned at today 09:00 in the clinic (never the machine's clock); every
 * case is rolled back.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DbTx } from '../local/db/types';
import { DB_KINDS, type TestDb } from './helpers/testDb';
import { ACTORS, ID, localAt, PHONES } from './helpers/world';
import { as, openPinnedWorld, refused, rolledBack } from './helpers/pinnedWorld';

type Found = { patient_id: string; full_name: string; created: boolean };
const findOrCreate = (name: string | null, phone: string | null, clinicId: string = ID.clinicA) =>
  [`select public.staff_find_or_create_patient($1::uuid, $2, $3, 'ar') as r`, [clinicId, name, phone]] as [
    string,
    unknown[],
  ];
const patientsOf = async (tx: DbTx, clinicId: string = ID.clinicA) =>
  Number(
    (
      await tx.query<{ n: string }>(`select count(*) as n from public.patients where clinic_id = $1`, [
        clinicId,
      ])
    ).rows[0]!.n,
  );

describe.each(DB_KINDS)('desk booking: find or create the caller on %s', (kind) => {
  let t: TestDb;
  beforeAll(async () => {
    t = await openPinnedWorld(kind, '09:00');
  }, 600_000);
  afterAll(async () => {
    await t?.stop();
  });

  it('a new caller becomes a patient (no account link) and is booked by the desk; the same phone and name is found again, another name on that phone is a new patient', async () => {
    await rolledBack(t.db, async (tx) => {
      const before = await patientsOf(tx);
      const made = await as<Found>(tx, ACTORS.recepA, ...findOrCreate(' سلمى بناني 🌙 ', '+212612000447'));
      expect(made).toMatchObject({ full_name: 'سلمى بناني 🌙', created: true });
      const row = (
        await tx.query<{ user_id: string | null; phone: string; preferred_language: string }>(
          `select user_id, phone, preferred_language from public.patients where id = $1`,
          [made.patient_id],
        )
      ).rows[0];
      expect(row).toEqual({ user_id: null, phone: '+212612000447', preferred_language: 'ar' });
      const again = await as<Found>(tx, ACTORS.practA, ...findOrCreate('سلمى بناني 🌙', '+212612000447'));
      expect(again).toEqual({ ...made, created: false });
      // an existing record keeps its own name and account link: patient A's record, found by the desk
      const amina = await as<Found>(tx, ACTORS.recepA, ...findOrCreate('amina patient', PHONES.patientA));
      expect(amina).toEqual({ patient_id: ID.patientRecA, full_name: 'Amina Patient', created: false });
      const child = await as<Found>(tx, ACTORS.recepA, ...findOrCreate('Yassine', '+212612000447'));
      expect(child.created).toBe(true);
      expect(await patientsOf(tx)).toBe(before + 2);
      const b = await as<{ patient_id: string; status: string }>(
        tx,
        ACTORS.recepA,
        `select public.staff_book_appointment($1::uuid, $2::uuid, ${localAt(2, '11:00')}, $3::uuid) as r`,
        [ID.clinicA, made.patient_id, ID.typeA],
      );
      expect(b).toMatchObject({ patient_id: made.patient_id, status: 'scheduled' });
    });
  });

  it('attacks: a malformed phone, a blank name, a patient, another clinic’s staff, anon — refused with a code, nothing written', async () => {
    await rolledBack(t.db, async (tx) => {
      const before = await patientsOf(tx);
      for (const phone of ['0612000447', '+212 612000447', '+0612000447', '', null, "+2126'; --"]) {
        expect(await refused(tx, ACTORS.recepA, ...findOrCreate('Salma', phone)), String(phone)).toBe(
          'PT422 PHONE.INVALID',
        );
      }
      for (const name of ['', '   ', null, 'x'.repeat(201)]) {
        expect(await refused(tx, ACTORS.recepA, ...findOrCreate(name, '+212612000447'))).toBe(
          'PT422 VALIDATION.FAILED',
        );
      }
      expect(await refused(tx, ACTORS.patientA, ...findOrCreate('Salma', '+212612000447'))).toBe(
        'PT403 AUTH.FORBIDDEN',
      );
      expect(await refused(tx, ACTORS.ownerB, ...findOrCreate('Salma', '+212612000447'))).toBe(
        'PT403 AUTH.FORBIDDEN',
      );
      expect(await refused(tx, ACTORS.anon, ...findOrCreate('Salma', '+212612000447'))).toMatch(
        /permission denied/,
      );
      // another clinic's staff cannot reach clinic A's patient by its phone and name either
      expect(await refused(tx, ACTORS.ownerB, ...findOrCreate('Amina Patient', PHONES.patientA))).toBe(
        'PT403 AUTH.FORBIDDEN',
      );
      expect(await patientsOf(tx)).toBe(before);
    });
  });

  it("staff_book_* stay refused to a patient's session and to another clinic's staff with this clinic's patient", async () => {
    await rolledBack(t.db, async (tx) => {
      const made = await as<Found>(tx, ACTORS.recepA, ...findOrCreate('Salma', '+212612000448'));
      const slot = [
        `select public.staff_book_appointment($1::uuid, $2::uuid, ${localAt(2, '11:00')}, $3::uuid) as r`,
        [ID.clinicA, made.patient_id, ID.typeA],
      ] as [string, unknown[]];
      expect(await refused(tx, ACTORS.patientA, ...slot)).toBe('PT403 AUTH.FORBIDDEN');
      expect(await refused(tx, ACTORS.ownerB, ...slot)).toBe('PT403 AUTH.FORBIDDEN');
      // clinic B's owner in clinic B with clinic A's new patient
      expect(
        await refused(
          tx,
          ACTORS.ownerB,
          `select public.staff_book_appointment($1::uuid, $2::uuid, ${localAt(2, '11:00')}, $3::uuid) as r`,
          [ID.clinicB, made.patient_id, ID.typeB],
        ),
      ).toBe('PT404 NOT_FOUND');
      // clinic A's receptionist with clinic B's visit type or clinic B's practitioner
      const withForeign = (typeId: string, practitionerId: string | null) =>
        refused(
          tx,
          ACTORS.recepA,
          `select public.staff_book_appointment($1::uuid, $2::uuid, ${localAt(2, '11:00')}, $3::uuid, $4::uuid) as r`,
          [ID.clinicA, made.patient_id, typeId, practitionerId],
        );
      expect(await withForeign(ID.typeB, null)).toMatch(/^PT4\d\d /);
      expect(await withForeign(ID.typeA, ID.memberOwnerB)).toMatch(/^PT4\d\d /);
      const n = await tx.query<{ n: string }>(
        `select count(*) as n from public.queue_entries where patient_id = $1`,
        [made.patient_id],
      );
      expect(Number(n.rows[0]!.n)).toBe(0);
    });
  });
});
