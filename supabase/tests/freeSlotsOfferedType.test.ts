/**
 * Session 19 (20261219800001): get_free_slots for a named doctor who does not offer the visit type is refused with
 * BOOKING.PRACTITIONER_NOT_OFFERED, as booking that doctor is — it used to list times the booking then refused.
 * "Any doctor" (no doctor named) and a doctor who offers the type keep their slots.
 *
 * PGlite and PostgreSQL, private.now() pinned at 09:00 of the world's day in the clinic; every case is rolled back.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DB_KINDS, type TestDb } from './helpers/testDb';
import { ACTORS, ID } from './helpers/world';
import { as, openPinnedWorld, refused, rolledBack } from './helpers/pinnedWorld';

type Slot = { start: string; end: string; remaining: number };
const day = `private.clinic_today('Africa/Casablanca') + 2`;
const slots = (practitioner: string | null) =>
  [
    `select public.get_free_slots($1::uuid, ${day}, ${day}, $2::uuid, $3::uuid) as r`,
    [ID.clinicA, ID.typeA, practitioner],
  ] as [string, unknown[]];
const onlyOwnerOffers = `update public.appointment_types set practitioner_ids = array['${ID.memberOwnerA}']::uuid[]
                          where id = '${ID.typeA}'`;

describe.each(DB_KINDS)('free slots of a doctor who does not offer the type on %s', (kind) => {
  let t: TestDb;
  beforeAll(async () => {
    t = await openPinnedWorld(kind, '09:00');
  }, 600_000);
  afterAll(async () => {
    await t?.stop();
  });

  it('refuses the doctor with BOOKING.PRACTITIONER_NOT_OFFERED; any doctor keeps the same slots', async () => {
    await rolledBack(t.db, async (tx) => {
      const before = await as<Slot[]>(tx, ACTORS.anon, ...slots(ID.memberPractA));
      expect(before.length).toBeGreaterThan(0);
      const anyDoctor = await as<Slot[]>(tx, ACTORS.anon, ...slots(null));
      await tx.exec(onlyOwnerOffers);
      expect(await refused(tx, ACTORS.anon, ...slots(ID.memberPractA))).toBe(
        'PT422 BOOKING.PRACTITIONER_NOT_OFFERED',
      );
      expect(await refused(tx, ACTORS.recepA, ...slots(ID.memberPractA))).toBe(
        'PT422 BOOKING.PRACTITIONER_NOT_OFFERED',
      );
      expect(await as<Slot[]>(tx, ACTORS.anon, ...slots(null))).toEqual(anyDoctor);
      expect((await as<Slot[]>(tx, ACTORS.anon, ...slots(ID.memberOwnerA))).length).toBeGreaterThan(0);
    });
  });
});
