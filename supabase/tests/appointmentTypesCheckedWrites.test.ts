/**
 * review20 L3 (20261220800004_appointment_types_checked_writes.sql): an admin's direct write to appointment_types
 * skipped set_appointment_types' checks (another clinic's member and random ids as a type's doctors, published by
 * get_public_clinic), and type names took control and bidi characters on both paths. A trigger holds the rules:
 * doctors are this clinic's active practitioners, and name and names follow the clean-name rule of person names.
 * The database's clock is pinned to 10:00 of the world's day; each case runs in a transaction that is rolled back.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DB_KINDS, type TestDb } from './helpers/testDb';
import { ACTORS, ID } from './helpers/world';
import { as, openPinnedWorld, pinWorldDaySql, refused, rolledBack } from './helpers/pinnedWorld';

const SET_TYPES = `select public.set_appointment_types($1::uuid, $2::jsonb) as r`;
const PATCH = (set: string) =>
  `with x as (update public.appointment_types set ${set} where id = $1 returning 1) select count(*)::int as r from x`;

describe.each(DB_KINDS)('appointment types: checked on every write path on %s', (kind) => {
  let t: TestDb;
  beforeAll(async () => {
    t = await openPinnedWorld(kind, '10:00');
  }, 400_000);
  afterAll(async () => {
    await t?.stop();
  });

  it("typesCheckedWrites: a direct PATCH cannot name another clinic's member, a random id or a non-doctor", () =>
    rolledBack(t.db, async (tx) => {
      await tx.exec(pinWorldDaySql('10:00'));
      for (const id of [ID.memberOwnerB, '00000000-0000-4000-8000-000000000000', ID.memberRecepA]) {
        expect(
          await refused(tx, ACTORS.ownerA, PATCH(`practitioner_ids = array[$2::uuid]`), [ID.typeA, id]),
          id,
        ).toBe('PT422 VALIDATION.FAILED');
      }
      // this clinic's active doctor is fine, directly and through the RPC's own path
      expect(
        await as(tx, ACTORS.ownerA, PATCH(`practitioner_ids = array[$2::uuid]`), [ID.typeA, ID.memberPractA]),
      ).toBe(1);
      // a doctor deactivated later does not block unrelated edits of the type
      await tx.query(`update public.clinic_members set active = false where id = $1`, [ID.memberPractA]);
      expect(await as(tx, ACTORS.ownerA, PATCH(`duration_minutes = 25`), [ID.typeA])).toBe(1);
    }));

  it('typesCheckedWrites: names with control, bidi or invisible characters are refused on both paths', () =>
    rolledBack(t.db, async (tx) => {
      await tx.exec(pinWorldDaySql('10:00'));
      const dirty = [
        'Consultation\u0007\u202E',
        'Consultation\u200B',
        'Consul\ntation',
        '\u202Eنوitacilsnoc',
      ];
      for (const name of dirty) {
        expect(await refused(tx, ACTORS.ownerA, PATCH(`name = $2`), [ID.typeA, name]), name).toBe(
          'PT422 VALIDATION.FAILED',
        );
        expect(
          await refused(tx, ACTORS.ownerA, PATCH(`names = jsonb_build_object('ar', $2::text)`), [
            ID.typeA,
            name,
          ]),
          name,
        ).toBe('PT422 VALIDATION.FAILED');
        expect(
          await refused(tx, ACTORS.ownerA, SET_TYPES, [
            ID.clinicA,
            JSON.stringify([{ name, duration_minutes: 15 }]),
          ]),
          name,
        ).toMatch(/^PT422 VALIDATION.FAILED/);
        expect(
          await refused(tx, ACTORS.ownerA, SET_TYPES, [
            ID.clinicA,
            JSON.stringify([{ name: 'Suivi', names: { fr: 'Suivi', ar: name }, duration_minutes: 15 }]),
          ]),
          name,
        ).toMatch(/^PT422 VALIDATION.FAILED/);
      }
      // every language's clean names still save through the admin screen's path, emoji and accents included
      const ids = await as<string[]>(tx, ACTORS.ownerA, SET_TYPES, [
        ID.clinicA,
        JSON.stringify([
          {
            name: 'Consultation générale',
            names: { ar: 'استشارة عامة', fr: 'Consultation générale', en: 'General visit 🩺' },
            duration_minutes: 15,
          },
          { name: "Vaccin d'enfant", duration_minutes: 10 },
        ]),
      ]);
      expect(ids).toHaveLength(2);
      expect(await as(tx, ACTORS.ownerA, PATCH(`name = 'فحص'`), [ids[0]])).toBe(1);
    }));
});
