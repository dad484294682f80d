// The clinic/staff contract on the Supabase adapter (create_clinic and invitation RPCs, table reads) on the local stack.
import { afterAll, beforeAll, describe } from 'vitest';
import { SupabaseClinicRepository } from '../../src/services/clinic/repositories/SupabaseClinicRepository';
import { clinicRepositoryContract } from '../fixtures/contracts/clinicRepositoryContract';
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

  clinicRepositoryContract('Supabase adapter (pglite)', async () => {
    const founder = await app.signUp('founder');
    const invitee = await app.signUp('invitee');
    const stranger = await app.signUp('stranger');
    return {
      founder: new SupabaseClinicRepository(founder.client),
      founderUserId: founder.userId,
      invitee: new SupabaseClinicRepository(invitee.client),
      inviteeUserId: invitee.userId,
      inviteeEmail: invitee.email,
      stranger: new SupabaseClinicRepository(stranger.client),
      uniqueSlug: () => `c-${process.pid}-${Date.now().toString(36)}-${++n}`,
    };
  });
});
