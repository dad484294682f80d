/**
 * types19 (20261219400001): a visit type's names per language and its colour — set_appointment_types stores them
 * (absent = keep, blank language left out) and refuses a malformed one with a coded error (nothing changed), the
 * table refuses them even on a direct write under RLS, another clinic's owner and a patient cannot set them, and
 * get_public_clinic returns them to anyone. On PGlite and PostgreSQL; every call is rolled back.
 */
import { describe, expect, it } from 'vitest';
import { DB_KINDS } from './helpers/testDb';
import { ACTORS, ID } from './helpers/world';
import { tryAsActor } from './helpers/sql';
import { mustSucceed, outcomeCode, rpcAs, useWorldDb } from './helpers/worldDb';
import { VISIT_TYPE_COLORS } from '../../src/services/clinic/api';

const typesA = `select name, names, color, active from public.appointment_types
                 where clinic_id = '${ID.clinicA}' order by name`;

describe.each(DB_KINDS)('visit type names and colour on %s', (kind) => {
  const t = useWorldDb(kind);
  const set = (actor: keyof typeof ACTORS, types: unknown[], clinicId: string = ID.clinicA) =>
    rpcAs(
      t.db,
      ACTORS[actor],
      'set_appointment_types',
      { p_clinic_id: clinicId, p_types: JSON.stringify(types) },
      { after: typesA },
    );

  it('stores names (trimmed, a blank language left out) and a colour; absent keeps them', async () => {
    const call = (types: unknown[]) =>
      `select public.set_appointment_types('${ID.clinicA}', '${JSON.stringify(types)}'::jsonb)`;
    const o = await tryAsActor(t.db, ACTORS.ownerA, async (tx) => {
      await tx.query(
        call([
          {
            id: ID.typeA,
            name: 'Consultation',
            duration_minutes: 15,
            names: { ar: ' استشارة ', fr: 'Consultation', en: '  ' },
            color: '#16a34a',
          },
          { id: ID.typeA2, name: 'Suivi', duration_minutes: 30 },
        ]),
      );
      // a second save without names/color (an older client) keeps the first one's
      await tx.query(
        call([
          { id: ID.typeA, name: 'Consultation', duration_minutes: 20 },
          { id: ID.typeA2, name: 'Suivi', duration_minutes: 30 },
        ]),
      );
      return (await tx.query(typesA)).rows;
    });
    expect(mustSucceed(o)).toEqual([
      { name: 'Consultation', names: { ar: 'استشارة', fr: 'Consultation' }, color: '#16a34a', active: true },
      { name: 'Suivi', names: {}, color: null, active: true },
    ]);
  });

  it('clears them with null', async () => {
    const o = await rpcAs(
      t.db,
      ACTORS.ownerA,
      'set_appointment_types',
      {
        p_clinic_id: ID.clinicA,
        p_types: JSON.stringify([
          { id: ID.typeA, name: 'Consultation', duration_minutes: 15, names: null, color: null },
        ]),
      },
      {
        setup: `update public.appointment_types set names = '{"fr":"Consult"}', color = '#dc2626' where id = '${ID.typeA}'`,
        after: `select names, color from public.appointment_types where id = '${ID.typeA}'`,
      },
    );
    expect(mustSucceed(o).after).toEqual([{ names: {}, color: null }]);
  });

  it.each([
    ['an unknown language', { names: { de: 'Beratung' } }, 'names'],
    ['a name that is not text', { names: { fr: 3 } }, 'names'],
    ['a name over 120 characters', { names: { ar: 'س'.repeat(121) } }, 'names'],
    ['names that are not an object', { names: ['x'] }, 'names'],
    ['a colour off the palette', { color: '#123456' }, 'color'],
    ['a colour that is not a hex', { color: 'red; drop table x' }, 'color'],
    ['a colour that is not text', { color: 7 }, 'color'],
  ])('refuses %s: 422 VALIDATION.FAILED (problem, index), nothing changed', async (_n, extra, problem) => {
    const before = (await t.db.query(typesA)).rows;
    const o = await set('ownerA', [
      { id: ID.typeA2, name: 'Suivi', duration_minutes: 30 },
      { id: ID.typeA, name: 'Consultation', duration_minutes: 15, ...extra },
    ]);
    expect(outcomeCode(o)).toBe('PT422 VALIDATION.FAILED');
    expect(!o.ok && JSON.parse(o.detail ?? '{}')).toEqual({ index: 1, problem });
    expect((await t.db.query(typesA)).rows).toEqual(before);
  });

  it("another clinic's owner, a receptionist and a patient cannot set them", async () => {
    const types = [{ id: ID.typeA, name: 'Consultation', duration_minutes: 15, color: '#dc2626' }];
    expect(outcomeCode(await set('ownerB', types))).toBe('PT403 AUTH.FORBIDDEN');
    expect(outcomeCode(await set('recepA', types))).toBe('PT403 AUTH.FORBIDDEN');
    expect(outcomeCode(await set('patientA', types))).toBe('PT403 AUTH.FORBIDDEN');
  });

  it('the table itself refuses a bad colour or names, even from an admin writing it directly', async () => {
    for (const change of [
      `color = '#000000'`,
      `names = '{"xx":"y"}'`,
      `names = '{"fr":"  "}'`,
      `names = '{"fr":1}'`,
      `names = '[]'`,
    ]) {
      const o = await tryAsActor(t.db, ACTORS.ownerA, (tx) =>
        tx.exec(`update public.appointment_types set ${change} where id = '${ID.typeA}'`),
      );
      expect(outcomeCode(o), change).toMatch(/^23514 /); // check_violation
    }
  });

  it('accepts exactly the palette the screens offer', async () => {
    const { rows } = await t.db.query<{ ok: boolean[] }>(
      `select array_agg(private.is_visit_type_color(c) order by o) as ok
         from unnest($1::text[]) with ordinality u(c, o)`,
      [[...VISIT_TYPE_COLORS]],
    );
    expect(rows[0]!.ok).toEqual(VISIT_TYPE_COLORS.map(() => true));
  });

  it('get_public_clinic returns each type’s names and colour, to anyone', async () => {
    for (const actor of ['anon', 'patientB', 'ownerB'] as const) {
      const o = await rpcAs<{ appointment_types: unknown[] }>(
        t.db,
        ACTORS[actor],
        'get_public_clinic',
        { p_slug: 'clinic-a' },
        {
          setup: `update public.appointment_types set names = '{"ar":"استشارة"}', color = '#7c3aed' where id = '${ID.typeA}'`,
        },
      );
      expect(mustSucceed(o).r.appointment_types).toEqual([
        expect.objectContaining({
          id: ID.typeA,
          name: 'Consultation',
          names: { ar: 'استشارة' },
          color: '#7c3aed',
        }),
        expect.objectContaining({ id: ID.typeA2, name: 'Suivi', names: {}, color: null }),
      ]);
    }
  });
});
