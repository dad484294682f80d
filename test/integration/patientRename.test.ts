// A patient renamed while their visit is on today's queue: the desks' delta loads and Realtime see it (issue 12,
// 20261211400002). Real supabase-js → local stack → the real migrations, on PGlite and PostgreSQL.
// Before: a rename wrote neither an entry nor a queue version, so a desk holding the day (SupabaseQueueRepository
// keeps its last active load and asks only for the rows stamped since) kept showing the old name, and so did
// the board, until a full load.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SupabaseQueueRepository } from '../../src/services/queue/repositories/SupabaseQueueRepository';
import type { LoadScope } from '../../src/services/queue/repositories/QueueRepository';
import { saveWalkIn } from '../fixtures/stackWalkIns';
import { startAppStack, type AppStack, type Kind } from './appStack';
import { middayZone } from './queueStackKit';

const ACTIVE: LoadScope = { kind: 'active', entryIds: [] };

describe.each(['pglite', 'postgres'] as Kind[])('a patient rename on %s', (kind) => {
  let app: AppStack;
  beforeAll(async () => {
    app = await startAppStack(kind);
  });
  afterAll(async () => {
    await app?.stop();
  });

  it('bumps the queue day of their visit: the desk’s next delta load answers the visit with the new name', async () => {
    const owner = await app.newClinic('rename');
    // a zone where it is about noon now: the clinic's day cannot roll over mid-test
    const zone = middayZone();
    await app.db.query('update public.clinics set time_zone = $2 where id = $1', [owner.clinicId, zone]);
    const [amina, youssef] = await app.addPatients(owner.clinicId, ['Amina Bennani', 'Youssef Kabbaj']);
    if (!amina || !youssef) throw new Error('fixture patients');
    const desk = new SupabaseQueueRepository(owner.client);
    // Amina's visit is stamped with version 1, Youssef's with 2: a delta load since 2 would not send Amina's
    await saveWalkIn(desk, owner.clinicId, owner.userId, amina);
    await saveWalkIn(desk, owner.clinicId, owner.userId, youssef);
    const held = await desk.load(owner.clinicId, null, null, ACTIVE);
    if (!held.ok) throw new Error(held.error.code);
    expect(held.value.snapshot.entries.map((e) => e.patientName).sort()).toEqual([
      'Amina Bennani',
      'Youssef Kabbaj',
    ]);
    const before = held.value.snapshot.queue.version;

    // staff correct the spelling (the `patients_update` policy's path: a table update through supabase-js)
    const renamed = await owner.client
      .from('patients')
      .update({ full_name: 'Amina Bennani-Alaoui' })
      .eq('id', amina.id)
      .select('id');
    expect(renamed.error).toBeNull();
    expect(renamed.data).toHaveLength(1);

    const after = await desk.load(owner.clinicId, null, null, ACTIVE);
    if (!after.ok) throw new Error(after.error.code);
    expect(after.value.snapshot.queue.version).toBe(before + 1);
    // a delta load (the desk held the day), and Amina's visit was among the rows sent
    expect(after.value.deltaRows).toBeGreaterThanOrEqual(1);
    expect(after.value.snapshot.entries.map((e) => e.patientName).sort()).toEqual([
      'Amina Bennani-Alaoui',
      'Youssef Kabbaj',
    ]);
    // the row a subscriber hears first for the new version counts no entry row: a desk on Realtime reloads
    // (QueueDeltas: "any other version with no entry rows") instead of applying rows that carry no name
    const { rows } = await app.db.query<{ version: number; stamped: number }>(
      `select q.version, (select count(*)::int from public.queue_entries e
                           where e.queue_id = q.id and e.queue_version = q.version) as stamped
         from public.queues q where q.clinic_id = $1`,
      [owner.clinicId],
    );
    expect(rows).toEqual([{ version: before + 1, stamped: 1 }]);

    // saving the same name again changes nothing
    const same = await owner.client
      .from('patients')
      .update({ full_name: 'Amina Bennani-Alaoui' })
      .eq('id', amina.id)
      .select('id');
    expect(same.error).toBeNull();
    const again = await desk.load(owner.clinicId, null, null, ACTIVE);
    if (!again.ok) throw new Error(again.error.code);
    expect(again.value.snapshot.queue.version).toBe(before + 1);
  });
});
