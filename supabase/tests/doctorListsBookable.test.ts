/**
 * doctor20b (review20 L4, 20261220950001_doctor_lists_bookable.sql; docs/domain-rules.md DR1): a doctor is an active
 * practitioner or owner (private.is_bookable_doctor) also where patients and admins pick doctors: the public page's
 * doctor list, set_appointment_types' practitioner_ids and the appointment_types trigger. Before, an owner who sees
 * patients could be booked as "any doctor" but not offered per visit type nor chosen by name.
 * The database's clock is pinned to 10:00 of the world's day; each case runs in a transaction that is rolled back.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DB_KINDS, type TestDb } from './helpers/testDb';
import { ACTORS, ID } from './helpers/world';
import { as, openPinnedWorld, pinWorldDaySql, refused, rolledBack } from './helpers/pinnedWorld';
import { fluidDay, setTypeMode } from './helpers/fluidWorld';

const SET_TYPES = `select public.set_appointment_types($1::uuid, $2::jsonb) as r`;
const PUBLIC = `select public.get_public_clinic($1) as r`;
const PATCH = `with x as (update public.appointment_types set practitioner_ids = $2::uuid[] where id = $1 returning 1)
  select count(*)::int as r from x`;
type Page = {
  practitioners: { id: string; display_name: string }[];
  appointment_types: { id: string; practitioner_ids: string[] | null }[];
};

describe.each(DB_KINDS)('DR1: the doctor lists take the owner on %s', (kind) => {
  let t: TestDb;
  beforeAll(async () => {
    t = await openPinnedWorld(kind, '10:00');
  }, 400_000);
  afterAll(async () => {
    await t?.stop();
  });

  it("DR1 public page: the owner is a doctor patients can pick by name; a receptionist or another clinic's is not", () =>
    rolledBack(t.db, async (tx) => {
      await tx.exec(pinWorldDaySql('10:00'));
      const ids = async () =>
        (await as<Page>(tx, ACTORS.anon, PUBLIC, [ID.clinicA])).practitioners.map((p) => p.id).sort();
      const before = await ids();
      expect(before).toContain(ID.memberOwnerA);
      expect(before).toContain(ID.memberPractA);
      expect(before).not.toContain(ID.memberRecepA);
      expect(before).not.toContain(ID.memberOwnerB);
      // a deactivated owner is no longer offered
      await tx.query(`update public.clinic_members set active = false where id = $1`, [ID.memberOwnerA]);
      expect(await ids()).not.toContain(ID.memberOwnerA);
    }));

  it('DR1 visit types: an admin can offer a type by the owner alone, on the RPC and on a direct write', () =>
    rolledBack(t.db, async (tx) => {
      await tx.exec(pinWorldDaySql('10:00'));
      const saved = await as<string[]>(tx, ACTORS.ownerA, SET_TYPES, [
        ID.clinicA,
        JSON.stringify([
          { id: ID.typeA, name: 'Consultation', duration_minutes: 15, practitioner_ids: [ID.memberOwnerA] },
        ]),
      ]);
      expect(saved).toEqual([ID.typeA]);
      const page = await as<Page>(tx, ACTORS.anon, PUBLIC, [ID.clinicA]);
      expect(page.appointment_types.find((x) => x.id === ID.typeA)?.practitioner_ids).toEqual([
        ID.memberOwnerA,
      ]);
      // the direct write's trigger agrees: the owner and a practitioner together
      expect(await as(tx, ACTORS.ownerA, PATCH, [ID.typeA, `{${ID.memberPractA},${ID.memberOwnerA}}`])).toBe(
        1,
      );
    }));

  it('DR1 visit types: still only active doctors of this clinic (receptionist, other clinic, deactivated owner, forged)', () =>
    rolledBack(t.db, async (tx) => {
      await tx.exec(pinWorldDaySql('10:00'));
      await tx.query(`update public.clinic_members set active = false where id = $1`, [ID.memberCoOwnerA]);
      for (const id of [
        ID.memberRecepA,
        ID.memberOwnerB,
        ID.memberCoOwnerA,
        '00000000-0000-4000-8000-000000000000',
      ]) {
        expect(
          await refused(tx, ACTORS.ownerA, SET_TYPES, [
            ID.clinicA,
            JSON.stringify([
              { id: ID.typeA, name: 'Consultation', duration_minutes: 15, practitioner_ids: [id] },
            ]),
          ]),
          id,
        ).toMatch(/^PT422 VALIDATION.FAILED/);
        expect(await refused(tx, ACTORS.ownerA, PATCH, [ID.typeA, `{${id}}`]), id).toBe(
          'PT422 VALIDATION.FAILED',
        );
      }
      // "'; drop table" is not an id
      expect(
        await refused(tx, ACTORS.ownerA, SET_TYPES, [
          ID.clinicA,
          JSON.stringify([
            {
              id: ID.typeA,
              name: 'Consultation',
              duration_minutes: 15,
              practitioner_ids: ["'; drop table x; --"],
            },
          ]),
        ]),
      ).toMatch(/^PT422 VALIDATION.FAILED/);
      // an owner already on the list who is deactivated later does not block other edits (not re-judged)
      await tx.query(`update public.clinic_members set active = true where id = $1`, [ID.memberCoOwnerA]);
      expect(await as(tx, ACTORS.ownerA, PATCH, [ID.typeA, `{${ID.memberCoOwnerA}}`])).toBe(1);
      await tx.query(`update public.clinic_members set active = false where id = $1`, [ID.memberCoOwnerA]);
      expect(
        await as(
          tx,
          ACTORS.ownerA,
          `with x as (update public.appointment_types set duration_minutes = 25 where id = $1 returning 1)
            select count(*)::int as r from x`,
          [ID.typeA],
        ),
      ).toBe(1);
    }));

  it("DR1 fluid day's place: the owner can be named; a deactivated doctor is 409, a receptionist 404", () =>
    rolledBack(t.db, async (tx) => {
      await tx.exec(pinWorldDaySql('10:00'));
      await setTypeMode(tx, ID.typeA2, 'fluid');
      const place = `select public.book_fluid_place($1::uuid, ${fluidDay(2)}, $2::uuid, $3::uuid, 'Fluid Patient') as r`;
      await tx.query(`update public.clinic_members set active = false where id = $1`, [ID.memberCoOwnerA]);
      expect(await refused(tx, ACTORS.patientA, place, [ID.clinicA, ID.typeA2, ID.memberCoOwnerA])).toBe(
        'PT409 PRACTITIONER.UNAVAILABLE',
      );
      expect(await refused(tx, ACTORS.patientA, place, [ID.clinicA, ID.typeA2, ID.memberRecepA])).toBe(
        'PT404 NOT_FOUND',
      );
      // (refusals first: one patient's own bookings are capped)
      const b = await as<{ fluid: boolean; status: string }>(tx, ACTORS.patientA, place, [
        ID.clinicA,
        ID.typeA2,
        ID.memberOwnerA,
      ]);
      expect(b).toMatchObject({ fluid: true, status: 'scheduled' });
    }));
});
