/**
 * fix20b (session 20): review20's L1, L4, L7 and two minor leaks (20261220900001_doctor_meaning_l1_l7_leaks.sql,
 * docs/domain-rules.md DR1–DR3, docs/security.md).
 * - L4 one meaning of "doctor": an active practitioner or owner, for slots and booking alike; an owner's leave and
 *   hours are written only by an owner (no admin constrains an owner).
 * - L1 a deactivated doctor's booked patient gets PRACTITIONER.UNAVAILABLE on reschedule (not 404), and set_team
 *   says how many open visits the doctor it deactivates still has.
 * - L7 a clinic name with control/bidi characters is refused on rename (the PATCH path) as on create.
 * - leaks: leave reasons for owners/admins and the doctor themself only; another clinic's member or invitation
 *   is 404 like an unknown id.
 *
 * PGlite and PostgreSQL, private.now() pinned at 08:00 of the world's day in the clinic; every case rolled back.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DB_KINDS, type TestDb } from './helpers/testDb';
import { ACTORS, ID } from './helpers/world';
import { as, openPinnedWorld, refused, rolledBack } from './helpers/pinnedWorld';

const day = (n: number) => `private.clinic_today('Africa/Casablanca') + ${n}`;
const at = (n: number, hhmm: string) => `((${day(n)}) + time '${hhmm}') at time zone 'Africa/Casablanca'`;
const SLOTS = `select public.get_free_slots($1::uuid, ${day(2)}, ${day(2)}, $2::uuid, $3::uuid) as r`;
const LEAVE = `select public.set_practitioner_leave($1::uuid, $2::uuid, ${day(2)}, ${day(3)}, $3) as r`;
const HOURS = `select public.set_practitioner_hours($1::uuid, $2::uuid, '[{"weekday":1,"starts_at":"09:00","ends_at":"09:30"}]'::jsonb) as r`;

describe.each(DB_KINDS)('review20 doctor rules and leaks on %s', (kind) => {
  let t: TestDb;
  beforeAll(async () => {
    t = await openPinnedWorld(kind, '08:00');
  }, 600_000);
  afterAll(async () => {
    await t?.stop();
  });

  it('L4 an owner is a doctor everywhere: slots offered are bookable; only an owner writes an owner’s leave and hours', () =>
    rolledBack(t.db, async (tx) => {
      const offered = await as<{ start: string }[]>(tx, ACTORS.anon, SLOTS, [
        ID.clinicA,
        ID.typeA,
        ID.memberOwnerA,
      ]);
      expect(offered.length).toBeGreaterThan(0);
      // booking the owner-doctor's offered slot is accepted (before: 404 "practitioner not found")
      const booked = await as<{ entry_id: string }>(
        tx,
        ACTORS.patientB,
        `select public.book_appointment(p_clinic_id => $1::uuid, p_appointment_type_id => $2::uuid,
                                        p_practitioner_id => $3::uuid, p_slot_start => $4::timestamptz) as r`,
        [ID.clinicA, ID.typeA, ID.memberOwnerA, offered[0]!.start],
      );
      expect(booked.entry_id).toBeTruthy();
      // an admin cannot constrain an owner: leave and hours on an owner's row are refused, nothing written
      await tx.query(`update public.clinic_members set role = 'admin' where id = $1`, [ID.memberRecepA]);
      expect(await refused(tx, ACTORS.recepA, LEAVE, [ID.clinicA, ID.memberOwnerA, null])).toBe(
        'PT403 AUTH.FORBIDDEN',
      );
      expect(await refused(tx, ACTORS.recepA, HOURS, [ID.clinicA, ID.memberOwnerA])).toBe(
        'PT403 AUTH.FORBIDDEN',
      );
      // … but sets them on a practitioner; an owner sets them on a (co-)owner; a receptionist is still no doctor
      await as(tx, ACTORS.recepA, LEAVE, [ID.clinicA, ID.memberPractA, null]);
      const own = await as<{ id: string }>(tx, ACTORS.ownerA, LEAVE, [ID.clinicA, ID.memberCoOwnerA, null]);
      await as(tx, ACTORS.ownerA, HOURS, [ID.clinicA, ID.memberOwnerA]);
      expect(
        await refused(tx, ACTORS.recepA, `select public.delete_practitioner_leave($1::uuid) as r`, [own.id]),
      ).toBe('PT403 AUTH.FORBIDDEN');
      const n = await tx.query<{ n: number }>(
        `select count(*)::int as n from public.practitioner_leave where practitioner_id = $1`,
        [ID.memberOwnerA],
      );
      expect(n.rows[0]!.n).toBe(0);
    }));

  it('L1 deactivating a doctor reports their open visits; their patient’s reschedule is PRACTITIONER.UNAVAILABLE', () =>
    rolledBack(t.db, async (tx) => {
      const booked = await as<{ entry_id: string }>(
        tx,
        ACTORS.patientB,
        `select public.book_appointment(p_clinic_id => $1::uuid, p_appointment_type_id => $2::uuid,
                                        p_practitioner_id => $3::uuid, p_slot_start => ${at(2, '09:00')}) as r`,
        [ID.clinicA, ID.typeA, ID.memberPractA],
      );
      const TEAM = `select public.set_team($1::uuid, $2::jsonb) as r`;
      expect(
        await as(tx, ACTORS.ownerA, TEAM, [
          ID.clinicA,
          JSON.stringify([{ member_id: ID.memberPractA, active: false }]),
        ]),
      ).toMatchObject({ future_visits: 1 });
      // a change that takes no doctor out of service reports none
      expect(
        await as(tx, ACTORS.ownerA, TEAM, [
          ID.clinicA,
          JSON.stringify([{ member_id: ID.memberRecepA, room: '4' }]),
        ]),
      ).toEqual({ future_visits: 0 });
      expect(
        await refused(
          tx,
          ACTORS.patientB,
          `select public.reschedule_appointment($1::uuid, ${at(2, '10:00')}) as r`,
          [booked.entry_id],
        ),
      ).toBe('PT409 PRACTITIONER.UNAVAILABLE');
      // the visit is kept as it was (the refusal rolled the move back)
      const row = await tx.query<{ status: string; practitioner_id: string }>(
        `select status, practitioner_id from public.queue_entries where id = $1`,
        [booked.entry_id],
      );
      expect(row.rows[0]).toEqual({ status: 'scheduled', practitioner_id: ID.memberPractA });
    }));

  // feat21b (DR3 with DR1's meaning of doctor): leaving = a bookable doctor before the call and not after it
  it('DR3 future_visits counts the doctors who stop being bookable: not a practitioner made owner, a deactivated co-owner', () =>
    rolledBack(t.db, async (tx) => {
      // one visit a patient a day: patient B with the practitioner, patient A with the co-owner
      const book = (patient: typeof ACTORS.patientA | typeof ACTORS.patientB, member: string, hhmm: string) =>
        as<{ entry_id: string }>(
          tx,
          patient,
          `select public.book_appointment(p_clinic_id => $1::uuid, p_appointment_type_id => $2::uuid,
                                          p_practitioner_id => $3::uuid, p_slot_start => ${at(2, hhmm)}) as r`,
          [ID.clinicA, ID.typeA, member],
        );
      await book(ACTORS.patientB, ID.memberPractA, '09:00');
      await book(ACTORS.patientA, ID.memberCoOwnerA, '10:00');
      const TEAM = `select public.set_team($1::uuid, $2::jsonb) as r`;
      const team = (changes: object[]) => as(tx, ACTORS.ownerA, TEAM, [ID.clinicA, JSON.stringify(changes)]);
      // promoted to owner: still a doctor, still takes their bookings (before: counted as leaving, 1)
      expect(await team([{ member_id: ID.memberPractA, role: 'owner' }])).toEqual({ future_visits: 0 });
      // a co-owner deactivated with a booked visit (before: not counted, 0)
      expect(await team([{ member_id: ID.memberCoOwnerA, active: false }])).toEqual({ future_visits: 1 });
      // back again, then made admin (no doctor's role): their visits are reported once more
      expect(await team([{ member_id: ID.memberCoOwnerA, active: true }])).toEqual({ future_visits: 0 });
      expect(await team([{ member_id: ID.memberCoOwnerA, role: 'admin' }])).toEqual({ future_visits: 1 });
      // an owner moved down to practitioner stays a doctor; a practitioner made receptionist leaves
      expect(await team([{ member_id: ID.memberPractA, role: 'practitioner' }])).toEqual({
        future_visits: 0,
      });
      expect(await team([{ member_id: ID.memberPractA, role: 'receptionist' }])).toEqual({
        future_visits: 1,
      });
    }));

  it('L7 a rename with control, bidi or invisible characters is refused like a link (PATCH path and service)', () =>
    rolledBack(t.db, async (tx) => {
      for (const name of [
        'Cabinet\u202eAnfa',
        'Cabinet\u0007Anfa',
        'Cabinet\u200bAnfa',
        'Cabinet\u2066A\u2069',
      ])
        for (const actor of [ACTORS.ownerA, null])
          expect(
            await refused(
              tx,
              actor,
              `update public.clinics set name = $1 where id = $2 returning name as r`,
              [name, ID.clinicA],
            ),
          ).toBe('PT422 CLINIC.NAME_NOT_ALLOWED');
      // Arabic, accents and emoji stay welcome
      await tx.query(`update public.clinics set name = $1 where id = $2`, [
        'عيادة أنفا — Cabinet Élan 🩺',
        ID.clinicA,
      ]);
    }));

  it('leave reasons: owners/admins and the doctor themself read them; other staff see the leave, not why', () =>
    rolledBack(t.db, async (tx) => {
      await as(tx, ACTORS.ownerA, LEAVE, [ID.clinicA, ID.memberPractA, 'Opération']);
      const LIST = `select public.get_practitioner_leave($1::uuid) as r`;
      type L = { practitioner_id: string; reason: string | null }[];
      expect(await as<L>(tx, ACTORS.ownerA, LIST, [ID.clinicA])).toMatchObject([{ reason: 'Opération' }]);
      expect(await as<L>(tx, ACTORS.practA, LIST, [ID.clinicA])).toMatchObject([{ reason: 'Opération' }]);
      expect(await as<L>(tx, ACTORS.recepA, LIST, [ID.clinicA])).toEqual([
        expect.objectContaining({ practitioner_id: ID.memberPractA, reason: null }),
      ]);
      // review21 L5 (fix21a): outside the clinic is refused, no longer an empty list
      for (const actor of [ACTORS.ownerB, ACTORS.patientA])
        expect(await refused(tx, actor, LIST, [ID.clinicA])).toBe('PT403 AUTH.FORBIDDEN');
      expect(await refused(tx, ACTORS.anon, LIST, [ID.clinicA])).toMatch(/^42501 /);
      // the table itself no longer hands the reason to staff; the rest of the row stays readable
      expect(
        await refused(tx, ACTORS.recepA, `select array_agg(reason) as r from public.practitioner_leave`),
      ).toMatch(/^42501 /);
      expect(
        await as<number>(
          tx,
          ACTORS.recepA,
          `select count(from_day)::int as r from public.practitioner_leave`,
        ),
      ).toBe(1);
    }));

  it('remove_member and resend_staff_invitation: another clinic’s id answers 404 exactly as an unknown id', () =>
    rolledBack(t.db, async (tx) => {
      for (const [sql, id] of [
        [`select public.remove_member($1::uuid) as r`, ID.memberRecepA],
        [`select public.resend_staff_invitation($1::uuid) as r`, ID.invitationA],
      ] as const) {
        const unknown = await refused(tx, ACTORS.ownerB, sql, ['00000000-0000-4000-8000-000000000000']);
        expect(unknown).toBe('PT404 NOT_FOUND');
        expect(await refused(tx, ACTORS.ownerB, sql, [id])).toBe(unknown);
      }
    }));
});
