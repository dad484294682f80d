// The clinic/staff contract on the in-memory fake (the adapter runs it in test/integration/clinicRepository.contract.test.ts).
import { InMemoryClinicWorld } from '../../src/services/clinic/repositories/InMemoryClinicRepository';
import { systemClock } from '../../src/services/shared/Clock';
import { clinicRepositoryContract } from '../fixtures/contracts/clinicRepositoryContract';

let n = 0;
clinicRepositoryContract('in-memory fake', async () => {
  const world = new InMemoryClinicWorld(systemClock);
  world.addUser('founder', { email: 'founder@example.test' });
  world.addUser('invitee', { email: 'nadia@example.test' });
  world.addUser('stranger', { email: 'stranger@example.test' });
  return {
    founder: world.as('founder'),
    founderUserId: 'founder',
    invitee: world.as('invitee'),
    inviteeUserId: 'invitee',
    inviteeEmail: 'nadia@example.test',
    stranger: world.as('stranger'),
    uniqueSlug: () => `clinic-${++n}`,
  };
});
