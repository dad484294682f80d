/**
 * doctor20 (20261220200001): the desk's queue load carries each visit type's colour and names per language, so the
 * dashboard's rows show the type as a coloured dot with its name — get_queue's 'active' scope (the desk's) and its
 * 'day' scope (private.queue_snapshot) alike. Only the clinic's staff read it, as before: a patient, anon and
 * another clinic's owner are still refused. On PGlite and PostgreSQL; every call is rolled back.
 */
import { describe, expect, it } from 'vitest';
import { DB_KINDS } from './helpers/testDb';
import { ACTORS, ID } from './helpers/world';
import { mustSucceed, outcomeCode, rpcAs, useWorldDb } from './helpers/worldDb';

const SETUP = `update public.appointment_types set color = '#dc2626', names = '{"ar":"استشارة","en":"Check-up"}'
                where id = '${ID.typeA}'`;

type Loaded = { appointment_types: { id: string; color: string | null; names: Record<string, string> }[] };

describe.each(DB_KINDS)('the desk’s queue load names each type’s colour on %s', (kind) => {
  const t = useWorldDb(kind);

  it.each(['active', 'day'])('get_queue (%s scope) answers the type’s colour and names', async (scope) => {
    const o = await rpcAs<Loaded>(
      t.db,
      ACTORS.recepA,
      'get_queue',
      { p_clinic_id: ID.clinicA, p_scope: scope },
      { setup: SETUP },
    );
    const types = mustSucceed(o).r.appointment_types;
    expect(types.find((ty) => ty.id === ID.typeA)).toMatchObject({
      color: '#dc2626',
      names: { ar: 'استشارة', en: 'Check-up' },
    });
    // a type without them answers null / {} (the dashboard shows no dot)
    const other = types.find((ty) => ty.id !== ID.typeA);
    expect(other).toBeDefined();
    expect(other).toMatchObject({ color: null, names: {} });
  });

  it.each(['patientA', 'anon', 'ownerB'] as const)('%s still cannot load clinic A’s queue', async (actor) => {
    const o = await rpcAs(t.db, ACTORS[actor], 'get_queue', { p_clinic_id: ID.clinicA, p_scope: 'active' });
    expect(outcomeCode(o)).not.toBe('ok');
  });
});
