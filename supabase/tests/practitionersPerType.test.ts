/**
 * types19 (20261219400002): which doctors offer a visit type. set_appointment_types stores practitioner_ids
 * (absent = keep, null = every doctor) and refuses anyone but this clinic's active practitioners; a booking
 * with a doctor who does not offer the type is refused with BOOKING.PRACTITIONER_NOT_OFFERED on every path
 * (the queue_entries trigger), "any doctor" never is; a visit under way may still be moved to any doctor;
 * get_public_clinic returns the list. On PGlite and PostgreSQL; every call is rolled back.
 */
import { describe, expect, it } from 'vitest';
import { DB_KINDS } from './helpers/testDb';
import { ACTORS, ID, localAt } from './helpers/world';
import { tryAsActor } from './helpers/sql';
import { mustSucceed, outcomeCode, rpcAs, useWorldDb } from './helpers/worldDb';

const onlyOwner = `update public.appointment_types set practitioner_ids = array['${ID.memberOwnerA}']::uuid[]
                    where id = '${ID.typeA}'`;
const typeAList = `select practitioner_ids::text[] as ids from public.appointment_types where id = '${ID.typeA}'`;

describe.each(DB_KINDS)('doctors per visit type on %s', (kind) => {
  const t = useWorldDb(kind);
  const save = (actor: keyof typeof ACTORS, extra: Record<string, unknown>, clinicId: string = ID.clinicA) =>
    rpcAs(
      t.db,
      ACTORS[actor],
      'set_appointment_types',
      {
        p_clinic_id: clinicId,
        p_types: JSON.stringify([
          { id: ID.typeA, name: 'Consultation', duration_minutes: 15, ...extra },
          { id: ID.typeA2, name: 'Suivi', duration_minutes: 30 },
        ]),
      },
      { after: typeAList },
    );

  it('stores the doctors; absent keeps them; null means every doctor again', async () => {
    expect(mustSucceed(await save('ownerA', { practitioner_ids: [ID.memberPractA] })).after).toEqual([
      { ids: [ID.memberPractA] },
    ]);
    const kept = await rpcAs(
      t.db,
      ACTORS.ownerA,
      'set_appointment_types',
      {
        p_clinic_id: ID.clinicA,
        p_types: JSON.stringify([{ id: ID.typeA, name: 'Consultation', duration_minutes: 20 }]),
      },
      {
        setup: `update public.appointment_types set practitioner_ids = array['${ID.memberPractA}']::uuid[]`,
        after: typeAList,
      },
    );
    expect(mustSucceed(kept).after).toEqual([{ ids: [ID.memberPractA] }]);
    const cleared = await rpcAs(
      t.db,
      ACTORS.ownerA,
      'set_appointment_types',
      {
        p_clinic_id: ID.clinicA,
        p_types: JSON.stringify([
          { id: ID.typeA, name: 'Consultation', duration_minutes: 20, practitioner_ids: null },
        ]),
      },
      { setup: onlyOwner, after: typeAList },
    );
    expect(mustSucceed(cleared).after).toEqual([{ ids: null }]);
  });

  it.each([
    ['no doctor at all', []],
    ["another clinic's doctor", [ID.memberOwnerB]],
    ['a receptionist', [ID.memberRecepA]],
    ['a made-up id', ['a1000000-0000-4000-8000-0000000000ff']],
    ['not an id', ['x']],
    ['not a list', ID.memberPractA],
  ])('refuses %s: 422 VALIDATION.FAILED problem practitioners, nothing changed', async (_n, ids) => {
    const o = await save('ownerA', { practitioner_ids: ids });
    expect(outcomeCode(o)).toBe('PT422 VALIDATION.FAILED');
    expect(!o.ok && JSON.parse(o.detail ?? '{}')).toEqual({ index: 0, problem: 'practitioners' });
    expect((await t.db.query(typeAList)).rows).toEqual([{ ids: null }]);
  });

  it('another clinic’s owner, a receptionist, a patient and anon cannot set them', async () => {
    const extra = { practitioner_ids: [ID.memberPractA] };
    expect(outcomeCode(await save('ownerB', extra))).toBe('PT403 AUTH.FORBIDDEN');
    expect(outcomeCode(await save('recepA', extra))).toBe('PT403 AUTH.FORBIDDEN');
    expect(outcomeCode(await save('patientA', extra))).toBe('PT403 AUTH.FORBIDDEN');
    expect(outcomeCode(await save('anon', extra))).toMatch(/^42501 /);
  });

  const book = (practitionerId: string | null, setup?: string) =>
    tryAsActor(
      t.db,
      ACTORS.patientA,
      async (tx) =>
        (
          await tx.query<{ r: { status: string } }>(
            `select public.book_appointment(p_clinic_id => $1, p_slot_start => ${localAt(2, '10:00')},
                    p_appointment_type_id => $2, p_practitioner_id => $3) as r`,
            [ID.clinicA, ID.typeA, practitionerId],
          )
        ).rows[0]!.r,
      setup === undefined ? undefined : async (tx) => void (await tx.exec(setup)),
    );

  it('a patient booking a doctor who does not offer the type is refused with a coded error', async () => {
    expect(outcomeCode(await book(ID.memberPractA, onlyOwner))).toBe(
      'PT422 BOOKING.PRACTITIONER_NOT_OFFERED',
    );
    // any doctor: still bookable; a doctor who offers it: bookable; every doctor (null): bookable
    expect(outcomeCode(await book(null, onlyOwner))).toBe('ok');
    expect(
      outcomeCode(
        await book(
          ID.memberPractA,
          `update public.appointment_types set practitioner_ids = array['${ID.memberPractA}']::uuid[]
            where id = '${ID.typeA}'`,
        ),
      ),
    ).toBe('ok');
    expect(outcomeCode(await book(ID.memberPractA))).toBe('ok');
  });

  it('the desk booking path is held to the same rule', async () => {
    const o = await tryAsActor(
      t.db,
      ACTORS.recepA,
      (tx) =>
        tx.query(
          `select public.staff_desk_book($1::uuid, 'Salma Bennani', '+212612000452', $2::uuid,
                                         ${localAt(2, '11:00')}, null, $3::uuid, 'fr') as r`,
          [ID.clinicA, ID.typeA, ID.memberPractA],
        ),
      async (tx) => void (await tx.exec(onlyOwner)),
    );
    expect(outcomeCode(o)).toBe('PT422 BOOKING.PRACTITIONER_NOT_OFFERED');
  });

  it('moving a scheduled booking to such a doctor is refused; a visit under way may go to any doctor', async () => {
    // entry A: patient A's scheduled booking today; entry B: patient B, waiting
    const move = (entryId: string) =>
      tryAsActor(
        t.db,
        ACTORS.service,
        (tx) =>
          tx.exec(
            `update public.queue_entries set practitioner_id = '${ID.memberPractA}' where id = '${entryId}'`,
          ),
        async (tx) =>
          void (await tx.exec(
            `${onlyOwner};
             update public.queue_entries set appointment_type_id = '${ID.typeA}', practitioner_id = null
              where id = '${entryId}'`,
          )),
      );
    expect(outcomeCode(await move(ID.entryA))).toBe('PT422 BOOKING.PRACTITIONER_NOT_OFFERED');
    expect(outcomeCode(await move(ID.entryB))).toBe('ok');
  });

  it('get_public_clinic returns the doctors of each type (null: every doctor)', async () => {
    const o = await rpcAs<{ appointment_types: { id: string; practitioner_ids: string[] | null }[] }>(
      t.db,
      ACTORS.anon,
      'get_public_clinic',
      { p_slug: 'clinic-a' },
      { setup: onlyOwner },
    );
    expect(mustSucceed(o).r.appointment_types.map((x) => [x.id, x.practitioner_ids])).toEqual([
      [ID.typeA, [ID.memberOwnerA]],
      [ID.typeA2, null],
    ]);
  });
});
