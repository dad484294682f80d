// The public clinic page contract on the Supabase adapter (get_public_clinic, as anon) on the local stack.
import { afterAll, beforeAll, describe } from 'vitest';
import { SupabasePublicClinicRepository } from '../../src/services/appointment/repositories/SupabasePublicClinicRepository';
import { SupabaseClinicRepository } from '../../src/services/clinic/repositories/SupabaseClinicRepository';
import { publicClinicRepositoryContract } from '../fixtures/contracts/publicClinicRepositoryContract';
import { startAppStack, type AppStack } from './appStack';

describe('on pglite', () => {
  let app: AppStack;
  let n = 0;
  beforeAll(async () => {
    app = await startAppStack('pglite');
  });
  afterAll(async () => {
    await app?.stop();
  });

  publicClinicRepositoryContract('Supabase adapter (pglite)', async () => {
    const founder = await app.signUp('founder');
    const doctor = await app.signUp('doctor');
    return {
      founder: new SupabaseClinicRepository(founder.client),
      doctor: new SupabaseClinicRepository(doctor.client),
      doctorEmail: doctor.email,
      visitor: new SupabasePublicClinicRepository(app.client()),
      uniqueSlug: () => `p-${process.pid}-${Date.now().toString(36)}-${++n}`,
    };
  });
});
