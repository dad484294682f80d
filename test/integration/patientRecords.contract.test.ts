// The patient search / visit notes contract on the Supabase adapter (search_patients, add_visit_note,
// list_visit_notes on the real migrations, local stack), on PGlite and PostgreSQL; the fake runs it in
// test/unit/patientRecords.fake.contract.test.ts.
import { afterAll, beforeAll, describe } from 'vitest';
import { SupabaseReportsRepository } from '../../src/services/reports/repositories/SupabaseReportsRepository';
import { patientRecordsContract } from '../fixtures/contracts/patientRecordsContract';
import { startAppStack, type AppStack, type Kind } from './appStack';

describe.each(['pglite', 'postgres'] as Kind[])('on %s', (kind) => {
  let app: AppStack;
  let n = 0;
  beforeAll(async () => {
    app = await startAppStack(kind);
  });
  afterAll(async () => {
    await app?.stop();
  });

  patientRecordsContract(`Supabase adapter (${kind})`, async () => {
    const owner = await app.newClinic(`records-${++n}`);
    const stranger = await app.newClinic(`records-stranger-${n}`);
    const ids: string[] = [];
    for (const [name, phone] of [
      ['Amina Benali', '+212600001234'],
      ['Amine Tazi', '+212600009876'],
      ['Omar Alaoui', null],
    ] as const) {
      const { rows } = await app.db.query<{ id: string }>(
        'insert into public.patients (clinic_id, full_name, phone) values ($1, $2, $3) returning id',
        [owner.clinicId, name, phone],
      );
      ids.push(rows[0]!.id);
    }
    const { rows: q } = await app.db.query<{ id: string }>(
      `insert into public.queues (clinic_id, day) values ($1, private.clinic_today('Africa/Casablanca')) returning id`,
      [owner.clinicId],
    );
    const { rows: e } = await app.db.query<{ id: string }>(
      `insert into public.queue_entries (queue_id, clinic_id, patient_id, kind, status, ticket_number, order_key)
       values ($1, $2, $3, 'walk_in', 'waiting', 1, 0) returning id`,
      [q[0]!.id, owner.clinicId, ids[2]],
    );
    return {
      staff: new SupabaseReportsRepository(owner.client),
      stranger: new SupabaseReportsRepository(stranger.client),
      clinicId: owner.clinicId,
      entryId: e[0]!.id,
    };
  });
});
