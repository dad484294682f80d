// The retention / erasure contract on the Supabase adapter (set_retention, erase_patient, clinics.retention_days
// on the real migrations, local stack), on PGlite and PostgreSQL; the fake runs it in
// test/unit/privacy.fake.contract.test.ts.
import { afterAll, beforeAll, describe } from 'vitest';
import { SupabaseReportsRepository } from '../../src/services/reports/repositories/SupabaseReportsRepository';
import { privacyContract } from '../fixtures/contracts/privacyContract';
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

  privacyContract(`Supabase adapter (${kind})`, async () => {
    const owner = await app.newClinic(`privacy-${++n}`);
    const stranger = await app.newClinic(`privacy-stranger-${n}`);
    const reception = await app.signUp(`privacy-reception-${n}`);
    await app.db.query(
      `insert into public.clinic_members (clinic_id, user_id, role, display_name) values ($1, $2, 'receptionist', 'Nadia')`,
      [owner.clinicId, reception.userId],
    );
    const ids: string[] = [];
    for (const [name, phone] of [
      ['Amina Benali', '+212600001234'],
      ['Omar Alaoui', null],
    ] as const) {
      const { rows } = await app.db.query<{ id: string }>(
        'insert into public.patients (clinic_id, full_name, phone) values ($1, $2, $3) returning id',
        [owner.clinicId, name, phone],
      );
      ids.push(rows[0]!.id);
    }
    return {
      owner: new SupabaseReportsRepository(owner.client),
      reception: new SupabaseReportsRepository(reception.client),
      stranger: new SupabaseReportsRepository(stranger.client),
      clinicId: owner.clinicId,
      aminaId: ids[0]!,
    };
  });
});
