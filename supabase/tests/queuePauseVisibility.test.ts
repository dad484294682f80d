/**
 * Who may read which practitioners are paused (issue 12, 20261211400001). `queues.paused_practitioner_ids` and
 * `intake_closed_at` are granted to authenticated (a desk hears a pause over Realtime as the change itself),
 * but the queues row policy was `using (true)`: any signed-in user read any clinic's pause state. Now the
 * authenticated rows are the clinic's staff's and, for a patient, the days of their own visits; anon keeps the
 * version row (the public screens) and was never granted the pause columns. On PGlite and PostgreSQL.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DB_KINDS, openTestDb, type TestDb } from './helpers/testDb';
import { tryAsActor, type Actor } from './helpers/sql';
import { ACTORS, ID, createWorld } from './helpers/world';

// a patient of clinic B only: an account linked to clinic B's walk-in, whose visit is on clinic B's queue today
const PATIENT_C = 'c0000000-0000-4000-8000-0000000000cc';
const patientC: Actor = { name: 'patientC', role: 'authenticated', sub: PATIENT_C };

const PAUSED = `select paused_practitioner_ids::text[] as paused, intake_closed_at from public.queues where id = $1`;

describe.each(DB_KINDS)('queue pause state on %s', (kind) => {
  let t: TestDb;
  beforeAll(async () => {
    t = await openTestDb(kind);
    await createWorld(t.db);
    await t.db.exec(`
      insert into auth.users (id, aud, role, email, encrypted_password, raw_user_meta_data, created_at, updated_at)
        values ('${PATIENT_C}', 'authenticated', 'authenticated', 'patient.c@test.ma', 'x', '{}', now(), now());
      update public.patients set user_id = '${PATIENT_C}' where id = '${ID.walkInB}';
      update public.queues set paused_practitioner_ids = array['${ID.memberPractA}']::uuid[] where id = '${ID.queueA}';
    `);
  });
  afterAll(async () => {
    await t?.stop();
  });

  const read = (actor: Actor, queueId: string = ID.queueA) =>
    tryAsActor(t.db, actor, async (tx) => (await tx.query<{ paused: string[] }>(PAUSED, [queueId])).rows);

  it('the clinic’s staff read who is paused, as before', async () => {
    for (const actor of [ACTORS.recepA, ACTORS.practA, ACTORS.ownerA]) {
      const r = await read(actor);
      expect(r.ok && r.value.map((row) => row.paused)).toEqual([[ID.memberPractA]]);
    }
  });

  it('another clinic’s staff read no row of this clinic’s queue (and so no pause state)', async () => {
    expect(await read(ACTORS.ownerB)).toEqual({ ok: true, value: [] });
    // their own clinic's queue, still
    const own = await read(ACTORS.ownerB, ID.queueB);
    expect(own.ok && own.value).toHaveLength(1);
  });

  it('a patient of another clinic reads no row of this clinic’s queue; their own visit’s day, yes', async () => {
    expect(await read(patientC)).toEqual({ ok: true, value: [] });
    const own = await read(patientC, ID.queueB);
    expect(own.ok && own.value).toHaveLength(1);
  });

  it('a patient of the clinic reads only the days of their own visits', async () => {
    // patient A: visits today and tomorrow; patient B: today only
    expect((await read(ACTORS.patientA, ID.queueA1)).ok).toBe(true);
    const a1 = await read(ACTORS.patientA, ID.queueA1);
    expect(a1.ok && a1.value).toHaveLength(1);
    expect(await read(ACTORS.patientB, ID.queueA1)).toEqual({ ok: true, value: [] });
    const today = await read(ACTORS.patientB);
    expect(today.ok && today.value.map((row) => row.paused)).toEqual([[ID.memberPractA]]);
  });

  it('anon is refused the pause columns but keeps the public version row', async () => {
    const r = await read(ACTORS.anon);
    expect(r.ok ? 'read' : r.code).toBe('42501');
    const v = await tryAsActor(
      t.db,
      ACTORS.anon,
      async (tx) =>
        (await tx.query<{ version: number }>(`select version from public.queues where id = $1`, [ID.queueA]))
          .rows,
    );
    expect(v.ok && v.value).toHaveLength(1);
  });
});
